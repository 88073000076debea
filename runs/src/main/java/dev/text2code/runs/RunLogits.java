package dev.text2code.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.Generator;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.generation.PositionLogits;
import dev.text2code.api.objective.AttentionSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The logits of a checkpoint at chosen positions of full sequences ({@code sdk-cli logits}): a
 * parity and debugging tool. The ids are the model's embedding rows (the tokenizer's ids when the
 * run has no separation); every sequence has one length and is run without padding.
 */
public final class RunLogits {
  /**
   * The name that selects {@link ReferenceForward} (plain Java, no backend) instead of a backend.
   */
  public static final String REFERENCE = "reference";

  private RunLogits() {}

  /**
   * A request: sequences of ids and the positions to report.
   *
   * @param ids one array per sequence, all of one length
   * @param positions positions in {@code [0, length)}
   */
  public record Request(int[][] ids, int[] positions) {
    public Request {
      ids =
          Arrays.stream(Objects.requireNonNull(ids, "ids")).map(int[]::clone).toArray(int[][]::new);
      positions = Objects.requireNonNull(positions, "positions").clone();
    }

    /**
     * Parses {@code "1,2,3;4,5,6"} (sequences separated by {@code ;}, ids by {@code ,}) and {@code
     * "0,2"}.
     */
    public static Request parse(String ids, String positions) {
      String[] sequences = ids.trim().split(";", -1);
      int[][] rows = new int[sequences.length][];
      for (int s = 0; s < sequences.length; s++) {
        rows[s] = numbers(sequences[s], "--ids sequence " + s);
      }
      return new Request(rows, numbers(positions, "--positions"));
    }

    private static int[] numbers(String text, String what) {
      if (text.isBlank()) throw new InvalidInputException(what + " is empty");
      String[] parts = text.split(",", -1);
      int[] out = new int[parts.length];
      for (int i = 0; i < parts.length; i++) {
        try {
          out[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
          throw new InvalidInputException(
              what + ": '" + parts[i].trim() + "' is not an integer (expected e.g. 1,2,3)");
        }
      }
      return out;
    }
  }

  /**
   * The answer.
   *
   * @param logits {@code [sequence][position][embedding row]}
   */
  public record Result(int[][] ids, int[] positions, float[][][] logits) {
    /**
     * {@code {"input_ids": [[...]], "logit_positions": [...], "logits": [[[...]]]}} on one line,
     * floats as Java prints them (shortest form that reads back to the same float).
     */
    public String toJson() {
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      ArrayNode in = root.putArray("input_ids");
      for (int[] row : ids) {
        ArrayNode a = in.addArray();
        for (int id : row) a.add(id);
      }
      ArrayNode at = root.putArray("logit_positions");
      for (int p : positions) at.add(p);
      ArrayNode out = root.putArray("logits");
      for (float[][] sequence : logits) {
        ArrayNode s = out.addArray();
        for (float[] position : sequence) {
          ArrayNode p = s.addArray();
          for (float v : position) p.add(v);
        }
      }
      return root.toString();
    }
  }

  /** Logits through {@code backend}'s own forward pass on {@code device}. */
  public static Result compute(Path checkpoint, Backend backend, Device device, Request request) {
    // the request is checked before any native library loads the model
    dev.text2code.api.backend.ModelSpec spec = Checkpoint.readSpec(checkpoint);
    PositionLogits.check(
        request.ids(), request.positions(), spec.embeddingRows(), spec.contextLength());
    try (Generator generator = backend.openGenerator(checkpoint, device)) {
      return new Result(
          request.ids(), request.positions(), generator.logits(request.ids(), request.positions()));
    }
  }

  /** Logits through {@link ReferenceForward} (plain Java, double precision, any architecture). */
  public static Result reference(Path checkpoint, Request request) {
    Checkpoint model = Checkpoint.read(checkpoint);
    return reference(model, request);
  }

  /** Logits of an in-memory checkpoint through {@link ReferenceForward}. */
  public static Result reference(Checkpoint model, Request request) {
    int[][] ids = request.ids();
    int[] positions = request.positions();
    PositionLogits.check(
        ids, positions, model.spec().embeddingRows(), model.spec().contextLength());
    ReferenceForward forward = ReferenceForward.of(model);
    int length = ids[0].length;
    int[] positionIds = new int[length];
    for (int t = 0; t < length; t++) positionIds[t] = t;
    float[][][] out = new float[ids.length][positions.length][];
    for (int s = 0; s < ids.length; s++) {
      float[][] all = forward.logits(ids[s], positionIds, AttentionSpec.causal(length));
      for (int i = 0; i < positions.length; i++) out[s][i] = all[positions[i]];
    }
    return new Result(ids, positions, out);
  }
}
