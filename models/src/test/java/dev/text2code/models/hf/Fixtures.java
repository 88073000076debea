package dev.text2code.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The hf-tiny fixtures copied into src/test/resources (written by Hugging Face transformers 4.36.2
 * and the PanGu-α paper's code, with their logits and greedy tokens), and readers for them. The
 * backends' family ITs use them through this module's test-jar.
 */
public final class Fixtures {
  /** Every fixture, one per family and weight format. */
  public static final List<String> ALL =
      List.of(
          "gpt2",
          "gpt2-fp16",
          "gpt2-bf16",
          "gpt2-sharded",
          "gpt2-bin",
          "gpt_neo",
          "llama",
          "codegen",
          "gpt_neox",
          "gpt_neox-sequential",
          "pangu_alpha",
          "mistral");

  private Fixtures() {}

  /** The fixtures' sources, for a module of this repository that uses the test-jar. */
  private static final Path SOURCES = Path.of("../models/src/test/resources");

  private static final List<String> SETS = List.of("hf-tiny", "hf-tiny-peer");

  /**
   * hf-tiny's fixtures, or one of hf-tiny-peer (made here with transformers; see its README): from
   * the class path where they are copied there, else from the models module's sources beside the
   * calling module (a path that may not exist where those are absent).
   */
  public static Path dir(String name) {
    try {
      for (String set : SETS) {
        URL url = Fixtures.class.getResource("/" + set + "/" + name + "/config.json");
        if (url != null && url.getProtocol().equals("file")) {
          return Path.of(url.toURI()).getParent();
        }
      }
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path own = SOURCES.resolve(SETS.get(0)).resolve(name);
    return Files.isDirectory(own) ? own : SOURCES.resolve(SETS.get(1)).resolve(name);
  }

  /** The fixture's reference.json: inputs, logits positions and greedy generations. */
  public static JsonNode reference(String name) {
    try {
      return new ObjectMapper().readTree(dir(name).resolve("reference.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON array of integers. */
  public static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
    return out;
  }

  /** A float32 little-endian C-order NPY v1 file, flattened. */
  public static float[] npy(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = b.getShort(8) & 0xFFFF;
      String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
      if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
        throw new IllegalArgumentException(file + ": not a float32 C-order array: " + header);
      }
      b.position(10 + headerLength);
      float[] out = new float[b.remaining() / 4];
      b.asFloatBuffer().get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A model's logits for one sequence at every position, {@code [position][vocabulary row]}. */
  @FunctionalInterface
  public interface Logits {
    float[][] of(int[] ids);
  }

  /**
   * The largest difference between {@code logits} of each of the fixture's reference sequences
   * ({@code input_ids}) and the real library's ({@code logits.npy}), over every position and
   * vocabulary row.
   */
  public static double largestLogitDifference(String fixture, int vocab, Logits logits) {
    JsonNode rows = reference(fixture).get("input_ids");
    float[] expected = npy(dir(fixture).resolve("logits.npy"));
    double worst = 0;
    for (int row = 0; row < rows.size(); row++) {
      int[] ids = ints(rows.get(row));
      float[][] actual = logits.of(ids);
      for (int t = 0; t < ids.length; t++) {
        for (int v = 0; v < vocab; v++) {
          worst =
              Math.max(
                  worst, Math.abs(actual[t][v] - expected[(row * ids.length + t) * vocab + v]));
        }
      }
    }
    return worst;
  }

  /** Copies a fixture into a writable temporary directory (to damage or extend it). */
  public static Path copy(String name, Path into) throws IOException {
    Path target = into.resolve(name);
    Files.createDirectories(target);
    try (var files = Files.list(dir(name))) {
      for (Path f : files.toList()) Files.copy(f, target.resolve(f.getFileName()));
    }
    return target;
  }
}
