package dev.text2code.models.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.checkpoint.ReferenceForward;
import dev.text2code.api.objective.AttentionSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every imported fixture, run through the plain-Java reference forward, reproduces the logits of
 * the real Hugging Face (or PanGu-α) code within 1e-4 at all 2 × 24 positions and its 12 greedy
 * tokens exactly.
 */
class HuggingFaceImportParityTest {
  static final java.util.List<String> FIXTURES = Fixtures.ALL;

  private static final double TOLERANCE = 1e-4;

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void logitsMatchTheReferenceAtEveryPosition(String fixture) {
    ImportedModel model = HuggingFaceImport.read(Fixtures.dir(fixture));
    ReferenceForward forward = ReferenceForward.of(model.checkpoint());
    double worst =
        Fixtures.largestLogitDifference(
            fixture,
            model.checkpoint().spec().embeddingRows(),
            ids -> forward.logits(ids, positions(ids.length), AttentionSpec.causal(ids.length)));
    assertTrue(worst < TOLERANCE, fixture + ": largest logit difference " + worst);
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void greedyContinuationEqualsTheReference(String fixture) {
    ReferenceForward forward =
        ReferenceForward.of(HuggingFaceImport.read(Fixtures.dir(fixture)).checkpoint());
    JsonNode generation = Fixtures.reference(fixture).get("generation");
    int[] prompt = Fixtures.ints(generation.get("prompt_ids"));
    int[] expected = Fixtures.ints(generation.get("new_token_ids"));
    assertArrayEquals(expected, forward.greedy(prompt, expected.length), fixture);
  }

  @Test
  void llamaLeftPaddedBatchMatchesAndGeneratesLikeEachRowAlone() {
    ReferenceForward forward =
        ReferenceForward.of(HuggingFaceImport.read(Fixtures.dir("llama")).checkpoint());
    JsonNode batch = Fixtures.reference("llama").get("batched_left_padding");
    float[] expected = Fixtures.npy(Fixtures.dir("llama").resolve("batched_logits.npy"));
    int vocab = 512;
    double worst = 0;
    for (int row = 0; row < 2; row++) {
      int[] ids = Fixtures.ints(batch.get("input_ids").get(row));
      int[] mask = Fixtures.ints(batch.get("attention_mask").get(row));
      int[] positions = Fixtures.ints(batch.get("position_ids").get(row));
      float[][] logits =
          forward.logits(ids, positions, AttentionSpec.causal(ids.length), visible(mask));
      for (int t = 0; t < ids.length; t++) {
        if (mask[t] == 0) continue; // pad rows are undefined (NaN in the reference)
        for (int v = 0; v < vocab; v++) {
          worst =
              Math.max(
                  worst, Math.abs(logits[t][v] - expected[(row * ids.length + t) * vocab + v]));
        }
      }
      int[] tokens = Fixtures.ints(batch.get("generation").get("new_token_ids").get(row));
      assertArrayEquals(tokens, greedyPadded(forward, ids, mask, tokens.length), "row " + row);
    }
    assertTrue(worst < TOLERANCE, "largest logit difference " + worst);
  }

  @Test
  void panguPrefixLmMatchesTheReference() {
    ReferenceForward forward =
        ReferenceForward.of(HuggingFaceImport.read(Fixtures.dir("pangu_alpha")).checkpoint());
    JsonNode prefix = Fixtures.reference("pangu_alpha").get("prefix_lm");
    int[] ids = Fixtures.ints(prefix.get("input_ids"));
    int k = prefix.get("prefix_lm_mask").get(0).asInt();
    float[] expected = Fixtures.npy(Fixtures.dir("pangu_alpha").resolve("logits_prefix9.npy"));
    // "every query may attend keys j <= k" is the SDK's prefix square of k + 1 positions
    float[][] logits =
        forward.logits(ids, positions(ids.length), AttentionSpec.prefix(ids.length, k + 1));
    double worst = 0;
    for (int t = 0; t < ids.length; t++) {
      for (int v = 0; v < 512; v++)
        worst = Math.max(worst, Math.abs(logits[t][v] - expected[t * 512 + v]));
    }
    assertTrue(worst < TOLERANCE, "largest logit difference " + worst);
  }

  private static int[] positions(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = i;
    return p;
  }

  private static boolean[] visible(int[] mask) {
    boolean[] out = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) out[i] = mask[i] != 0;
    return out;
  }

  /** Greedy decoding of a left-padded row as generate() does it: positions count real tokens. */
  private static int[] greedyPadded(ReferenceForward forward, int[] ids, int[] mask, int steps) {
    int[] seq = Arrays.copyOf(ids, ids.length + steps);
    int[] m = Arrays.copyOf(mask, mask.length + steps);
    int[] out = new int[steps];
    for (int s = 0; s < steps; s++) {
      int n = ids.length + s;
      int[] pos = new int[n];
      int real = 0;
      for (int i = 0; i < n; i++) {
        pos[i] = m[i] == 0 ? 1 : real;
        if (m[i] != 0) real++;
      }
      float[] last =
          forward
              .logits(
                  Arrays.copyOf(seq, n),
                  pos,
                  AttentionSpec.causal(n),
                  visible(Arrays.copyOf(m, n)))[n - 1];
      int best = 0;
      for (int v = 1; v < last.length; v++) if (last[v] > last[best]) best = v;
      out[s] = best;
      seq[n] = best;
      m[n] = 1;
    }
    return out;
  }

  @Test
  void everyFixtureIsRecognisedAsItsFamily() {
    assertEquals(Family.PANGU_ALPHA, HuggingFaceImport.info(Fixtures.dir("pangu_alpha")).family());
    assertEquals(Family.GPT2, HuggingFaceImport.info(Fixtures.dir("gpt2-bin")).family());
    assertEquals(Family.CODEGEN, HuggingFaceImport.info(Fixtures.dir("codegen")).family());
    assertEquals(Family.GPT_NEOX, HuggingFaceImport.info(Fixtures.dir("gpt_neox")).family());
    assertEquals(Family.LLAMA, HuggingFaceImport.info(Fixtures.dir("llama")).family());
    assertEquals(Family.GPT_NEO, HuggingFaceImport.info(Fixtures.dir("gpt_neo")).family());
    ModelInfo mistral = HuggingFaceImport.info(Fixtures.dir("mistral"));
    assertEquals(Family.MISTRAL, mistral.family());
    assertEquals(2, mistral.spec().kvHeads());
    assertEquals(java.util.List.of(5, 5, 5), mistral.spec().architecture().attention().windows());
  }
}
