package dev.text2code.backend.onnx;

import static dev.text2code.models.hf.Fixtures.dir;
import static dev.text2code.models.hf.Fixtures.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.text2code.api.backend.Device;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.generation.DecodeBatch;
import dev.text2code.api.internal.Json;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.models.hf.Fixtures;
import dev.text2code.models.hf.HuggingFaceImport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every Hugging Face fixture of the models module (tiny random checkpoints written by transformers
 * 4.36.2 and the PanGu-α code, with their logits and greedy tokens), imported, exported to ONNX and
 * run by ONNX Runtime: logits within 1e-4 of the reference at every position, the greedy
 * continuation through {@link OnnxStep}'s KV cache token for token, cached logits equal to a full
 * recomputation, and Llama's left-padded batch.
 */
class OnnxFamiliesIT {
  static final List<String> FIXTURES = Fixtures.ALL;

  private static final double TOLERANCE = 1e-4;

  @TempDir Path temp;

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void ortLogitsGreedyTokensAndCacheMatchTheReference(String fixture) {
    Path onnx = export(fixture);
    Map<String, Object> ref = reference(fixture);
    try (OnnxDecoder decoder = OnnxDecoder.open(onnx, Device.CPU)) {
      int rows = decoder.info().spec().embeddingRows();
      double worst =
          Fixtures.largestLogitDifference(
              fixture,
              rows,
              ids -> decoder.logits(ids, iota(ids.length), AttentionSpec.causal(ids.length)));
      assertTrue(worst < TOLERANCE, fixture + ": largest logit difference " + worst);

      Map<?, ?> generation = (Map<?, ?>) ref.get("generation");
      int[] prompt = ints(generation.get("prompt_ids"));
      int[] tokens = ints(generation.get("new_token_ids"));
      OnnxStep step = new OnnxStep(decoder, 4);
      int[] produced = new int[tokens.length];
      int[] sequence = Arrays.copyOf(prompt, prompt.length + tokens.length);
      double cacheWorst = 0;
      try (DecodeBatch batch = step.prefill(new int[][] {prompt}, new int[] {0}, 64)) {
        for (int s = 0; s < tokens.length; s++) {
          float[] cached = batch.logits();
          int n = prompt.length + s;
          float[] full =
              decoder.logits(Arrays.copyOf(sequence, n), iota(n), AttentionSpec.causal(n))[n - 1];
          for (int v = 0; v < rows; v++) {
            cacheWorst = Math.max(cacheWorst, Math.abs(cached[v] - full[v]));
          }
          produced[s] = argmax(cached, 0, rows);
          sequence[n] = produced[s];
          batch.step(new int[] {produced[s]});
        }
      }
      assertArrayEquals(tokens, produced, fixture + ": greedy continuation");
      assertTrue(
          cacheWorst < TOLERANCE,
          fixture + ": cached vs recomputed logits differ by " + cacheWorst);
    }
  }

  @Test
  void llamaLeftPaddedBatchMatchesTheReferenceAndGeneratesItsTokens() {
    Path onnx = export("llama");
    Map<?, ?> batch = (Map<?, ?>) reference("llama").get("batched_left_padding");
    float[] expected = npy(dir("llama").resolve("batched_logits.npy"));
    List<?> idRows = (List<?>) batch.get("input_ids");
    List<?> maskRows = (List<?>) batch.get("attention_mask");
    List<?> positionRows = (List<?>) batch.get("position_ids");
    List<?> tokenRows = (List<?>) ((Map<?, ?>) batch.get("generation")).get("new_token_ids");
    int b = idRows.size();
    int n = ints(idRows.get(0)).length;
    long[] ids = new long[b * n];
    long[] positions = new long[b * n];
    boolean[] mask = new boolean[b * n * n];
    int[][] prompts = new int[b][];
    for (int r = 0; r < b; r++) {
      int[] rowIds = ints(idRows.get(r));
      int[] rowMask = ints(maskRows.get(r));
      int[] rowPositions = ints(positionRows.get(r));
      int pad = 0;
      while (rowMask[pad] == 0) pad++;
      prompts[r] = Arrays.copyOfRange(rowIds, pad, n);
      for (int t = 0; t < n; t++) {
        ids[r * n + t] = rowIds[t];
        positions[r * n + t] = rowPositions[t];
        for (int k = 0; k <= t; k++) mask[(r * n + t) * n + k] = rowMask[k] != 0;
      }
    }
    try (OnnxDecoder decoder = OnnxDecoder.open(onnx, Device.CPU)) {
      int rows = decoder.info().spec().embeddingRows();
      float[] logits = decoder.forward(ids, positions, mask, b, n, 0, false);
      double worst = 0;
      for (int r = 0; r < b; r++) {
        int[] rowMask = ints(maskRows.get(r));
        for (int t = 0; t < n; t++) {
          if (rowMask[t] == 0) continue; // undefined (NaN in the reference) on the pads
          for (int v = 0; v < rows; v++) {
            int at = (r * n + t) * rows + v;
            worst = Math.max(worst, Math.abs(logits[at] - expected[at]));
          }
        }
      }
      assertTrue(worst < TOLERANCE, "largest logit difference " + worst);

      // OnnxStep pads the rows itself (positions count real tokens) and decodes with the cache
      int steps = ints(tokenRows.get(0)).length;
      int[][] produced = new int[b][steps];
      try (DecodeBatch decode = new OnnxStep(decoder, b).prefill(prompts, new int[b], 64)) {
        for (int s = 0; s < steps; s++) {
          float[] all = decode.logits();
          int[] next = new int[b];
          for (int r = 0; r < b; r++) next[r] = produced[r][s] = argmax(all, r * rows, rows);
          decode.step(next);
        }
      }
      for (int r = 0; r < b; r++) {
        assertArrayEquals(ints(tokenRows.get(r)), produced[r], "row " + r);
      }
    }
  }

  @Test
  void everyExportPassesTheOnnxCheckerWithFullShapeInference() throws Exception {
    Optional<String> python = OnnxCheckerIT.pythonWithOnnx();
    assumeTrue(
        python.isPresent(),
        "no Python with the onnx package (python3 -c 'import onnx' fails); on Debian: apt-get"
            + " install python3-onnx");
    Path script = temp.resolve("check_onnx.py");
    try (InputStream in = getClass().getResourceAsStream("/check_onnx.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> command = new ArrayList<>(List.of(python.get(), script.toString()));
    for (String fixture : FIXTURES) {
      Path onnx = export(fixture);
      int caches =
          OnnxExporter.cacheLayers(
              OnnxModelInfo.fromMetadata(OnnxFiles.metadata(onnx), onnx.toString()).spec());
      command.add(onnx.toString());
      command.add(Integer.toString(caches));
    }
    command.add("any");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "checker timed out");
    assertEquals(0, p.exitValue(), "onnx checker rejected an export:\n" + output);
    assertEquals(FIXTURES.size(), output.lines().filter(l -> l.startsWith("OK")).count(), output);
  }

  private Path export(String fixture) {
    Checkpoint checkpoint = HuggingFaceImport.read(dir(fixture)).checkpoint();
    Path file = temp.resolve(fixture + ".onnx");
    OnnxExporter.export(checkpoint, fixture, file);
    return file;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reference(String fixture) {
    try {
      Path file = dir(fixture).resolve("reference.json");
      return (Map<String, Object>) Json.parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int[] ints(Object list) {
    List<?> l = (List<?>) list;
    int[] out = new int[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).intValue();
    return out;
  }

  private static int[] iota(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    return p;
  }

  private static int argmax(float[] values, int from, int count) {
    int best = 0;
    for (int v = 1; v < count; v++) if (values[from + v] > values[from + best]) best = v;
    return best;
  }
}
