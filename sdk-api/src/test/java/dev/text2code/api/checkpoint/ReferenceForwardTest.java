package dev.text2code.api.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.objective.AttentionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceForwardTest {
  private final ModelSpec spec = new ModelSpec(2, 2, 8, 16, 12, Separation.NONE, 0.0);

  private ReferenceForward model() {
    Map<String, Tensor> weights = new LinkedHashMap<>();
    MappedRouter router = new MappedRouter(Separation.NONE, 12, 12, Map.of());
    for (Tensor t : ParameterLayout.initialize(spec, router, 3)) weights.put(t.name(), t);
    return new ReferenceForward(spec, weights);
  }

  @Test
  void erfMatchesKnownValues() {
    assertEquals(0.0, ReferenceForward.erf(0), 1e-15);
    assertEquals(0.8427007929497149, ReferenceForward.erf(1), 1e-13);
    assertEquals(-0.9953222650189527, ReferenceForward.erf(-2), 1e-13);
    assertEquals(0.9999779095030014, ReferenceForward.erf(3), 1e-13);
  }

  @Test
  void causalLogitsOfAPrefixDoNotDependOnLaterTokens() {
    int[] positions = {0, 1, 2, 3};
    float[][] a = model().logits(new int[] {1, 2, 3, 4}, positions, AttentionSpec.causal(4));
    float[][] b = model().logits(new int[] {1, 2, 3, 9}, positions, AttentionSpec.causal(4));
    for (int t = 0; t < 3; t++) {
      for (int r = 0; r < 12; r++) assertEquals(a[t][r], b[t][r], 0f);
    }
    assertNotEquals(a[3][0], b[3][0]);
  }

  @Test
  void aPrefixSquareLetsEarlyPositionsSeeLaterPrefixTokens() {
    int[] positions = {0, 1, 2, 3};
    float[][] a = model().logits(new int[] {1, 2, 3, 4}, positions, AttentionSpec.prefix(4, 2));
    float[][] b = model().logits(new int[] {1, 5, 3, 4}, positions, AttentionSpec.prefix(4, 2));
    assertNotEquals(a[0][0], b[0][0], "position 0 sees position 1 inside the prefix");
  }
}
