package dev.text2code.backend.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.objective.AttentionSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime on the exported graph computes the logits of the plain-Java reference. */
class OnnxParityIT {
  private static final float TOLERANCE = 1e-4f;
  @TempDir static Path temp;
  private static Checkpoint checkpoint;
  private static ReferenceForward reference;
  private static OnnxDecoder decoder;
  private static int rows;

  @BeforeAll
  static void export() {
    MappedRouter router = TestModels.partialRouter();
    ModelSpec spec = TestModels.spec(router, 2, 4, 32, 24);
    checkpoint = TestModels.checkpoint(spec, router, 11);
    reference = ReferenceForward.of(checkpoint);
    Path file = temp.resolve("model.onnx");
    OnnxExporter.export(checkpoint, "test", file);
    decoder = OnnxDecoder.open(file, Device.CPU);
    rows = spec.embeddingRows();
  }

  @AfterAll
  static void close() {
    decoder.close();
  }

  private static final int[] IDS = {3, 17, 44, 2, 50, 9, 0, 41, 12, 33};

  private static int[] positions(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    return p;
  }

  private static void assertClose(
      float[] expected, float[] actual, int actualOffset, String where) {
    for (int r = 0; r < expected.length; r++) {
      assertEquals(expected[r], actual[actualOffset + r], TOLERANCE, where + ", row " + r);
    }
  }

  @Test
  void causalLogitsEqualTheReference() {
    AttentionSpec causal = AttentionSpec.causal(IDS.length);
    float[][] expected = reference.logits(IDS, positions(IDS.length), causal);
    float[][] actual = decoder.logits(IDS, positions(IDS.length), causal);
    for (int t = 0; t < IDS.length; t++) assertClose(expected[t], actual[t], 0, "position " + t);
  }

  @Test
  void prefixAttentionAndShiftedPositionsEqualTheReference() {
    AttentionSpec prefix = AttentionSpec.prefix(IDS.length, 4);
    int[] shifted = new int[IDS.length];
    for (int i = 0; i < shifted.length; i++) shifted[i] = i + 7;
    float[][] expected = reference.logits(IDS, shifted, prefix);
    float[][] actual = decoder.logits(IDS, shifted, prefix);
    for (int t = 0; t < IDS.length; t++) assertClose(expected[t], actual[t], 0, "position " + t);
  }

  @Test
  void incrementalDecodingWithTheCacheEqualsFullSequenceLogits() {
    int n = IDS.length;
    float[][] expected = reference.logits(IDS, positions(n), AttentionSpec.causal(n));
    int prefill = 4;
    long[] ids = new long[prefill];
    long[] pos = new long[prefill];
    boolean[] mask = new boolean[prefill * prefill];
    for (int q = 0; q < prefill; q++) {
      ids[q] = IDS[q];
      pos[q] = q;
      for (int k = 0; k <= q; k++) mask[q * prefill + k] = true;
    }
    OnnxDecoder.Step step = decoder.run(ids, pos, mask, 1, prefill, null, 0, false);
    try {
      float[] all = step.logits();
      for (int t = 0; t < prefill; t++) assertClose(expected[t], all, t * rows, "prefill " + t);
      for (int t = prefill; t < n; t++) {
        boolean[] one = new boolean[t + 1];
        java.util.Arrays.fill(one, true);
        OnnxDecoder.Step next =
            decoder.run(new long[] {IDS[t]}, new long[] {t}, one, 1, 1, step, 1, false);
        step.close();
        step = next;
        assertEquals(t + 1, step.totalLength);
        assertClose(expected[t], step.logits(), 0, "cached step at position " + t);
      }
    } finally {
      step.close();
    }
  }

  @Test
  void leftPaddedRowsOfABatchEqualTheirOwnReference() {
    int[] shortRow = {5, 6, 7};
    int longest = IDS.length;
    int pad = longest - shortRow.length;
    long[] ids = new long[2 * longest];
    long[] pos = new long[2 * longest];
    boolean[] mask = new boolean[2 * longest * longest];
    for (int t = 0; t < longest; t++) {
      ids[t] = IDS[t];
      pos[t] = t;
      for (int k = 0; k <= t; k++) mask[t * longest + k] = true;
    }
    for (int t = 0; t < shortRow.length; t++) {
      ids[longest + pad + t] = shortRow[t];
      pos[longest + pad + t] = t;
      for (int k = pad; k <= pad + t; k++) mask[(longest + pad + t) * longest + k] = true;
    }
    float[][] expectedLong =
        reference.logits(IDS, positions(longest), AttentionSpec.causal(longest));
    float[][] expectedShort =
        reference.logits(
            shortRow, positions(shortRow.length), AttentionSpec.causal(shortRow.length));
    try (OnnxDecoder.Step step = decoder.run(ids, pos, mask, 2, longest, null, 0, false)) {
      float[] logits = step.logits();
      for (int t = 0; t < longest; t++)
        assertClose(expectedLong[t], logits, t * rows, "row 0 " + t);
      for (int t = 0; t < shortRow.length; t++) {
        assertClose(expectedShort[t], logits, (longest + pad + t) * rows, "row 1 " + t);
      }
    }
  }

  @Test
  void theCodeRestrictionMasksExactlyTheRowsOutsideTheCodeVocabulary() {
    boolean[] code = checkpoint.router().codeVocabularyMask();
    float[][] expected =
        reference.logits(IDS, positions(IDS.length), AttentionSpec.causal(IDS.length));
    long[] ids = new long[IDS.length];
    long[] pos = new long[IDS.length];
    boolean[] mask = new boolean[IDS.length * IDS.length];
    for (int q = 0; q < IDS.length; q++) {
      ids[q] = IDS[q];
      pos[q] = q;
      for (int k = 0; k <= q; k++) mask[q * IDS.length + k] = true;
    }
    try (OnnxDecoder.Step step = decoder.run(ids, pos, mask, 1, IDS.length, null, 1, true)) {
      float[] last = step.logits();
      assertEquals(rows, last.length, "logits_to_keep = 1 keeps the last position only");
      int masked = 0;
      for (int r = 0; r < rows; r++) {
        if (code[r]) {
          assertEquals(expected[IDS.length - 1][r], last[r], TOLERANCE, "code row " + r);
        } else {
          assertEquals(OnnxExporter.MASKED, last[r], 0f, "text-only row " + r);
          masked++;
        }
      }
      assertEquals(8, masked, "the 8 originals with replicas are excluded");
    }
  }

  @Test
  void theUnoptimisedStandardGraphAlsoEqualsTheReference() {
    // no ONNX Runtime fusions: the operators exactly as exported, as any other runtime runs them
    try (OnnxDecoder plain = OnnxDecoder.open(decoder.file(), Device.CPU, 1, false)) {
      AttentionSpec prefix = AttentionSpec.prefix(IDS.length, 3);
      float[][] expected = reference.logits(IDS, positions(IDS.length), prefix);
      float[][] actual = plain.logits(IDS, positions(IDS.length), prefix);
      for (int t = 0; t < IDS.length; t++) assertClose(expected[t], actual[t], 0, "position " + t);
    }
  }

  @Test
  void weightsInExternalDataGiveTheSameLogits() throws Exception {
    Path file = temp.resolve("external.onnx");
    OnnxExporter.export(checkpoint, "test", file, true);
    Path data = OnnxExporter.externalDataFile(file);
    assertTrue(java.nio.file.Files.size(data) > 4L * checkpoint.spec().parameterCount() / 2);
    assertTrue(java.nio.file.Files.size(file) < 64 * 1024, "the model file holds no weights");
    try (OnnxDecoder external = OnnxDecoder.open(file, Device.CPU)) {
      AttentionSpec causal = AttentionSpec.causal(IDS.length);
      float[][] expected = reference.logits(IDS, positions(IDS.length), causal);
      float[][] actual = external.logits(IDS, positions(IDS.length), causal);
      for (int t = 0; t < IDS.length; t++) assertClose(expected[t], actual[t], 0, "position " + t);
    }
  }
}
