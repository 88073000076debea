package dev.text2code.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.IdentityRouter;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Provenance;
import dev.text2code.api.checkpoint.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeparationGrowthTest {
  private static final int W = 8;

  private static Checkpoint base() {
    ModelSpec spec = new ModelSpec(1, 2, W, 16, 20, Separation.NONE, 0.0);
    IdentityRouter identity = new IdentityRouter(20);
    Map<String, Tensor> weights = new LinkedHashMap<>();
    for (Tensor t : ParameterLayout.initialize(spec, identity, 3)) weights.put(t.name(), t);
    return new Checkpoint(
        spec,
        MappedRouter.copyOf(identity),
        weights,
        Map.of(),
        Optional.empty(),
        40,
        Map.of(),
        Provenance.unknown());
  }

  private static float[] row(Checkpoint c, int id) {
    return Arrays.copyOfRange(c.weights().get("wte").data(), id * W, (id + 1) * W);
  }

  @Test
  void originalsStayNewIdsGetFreshRowsAndReplicasCopyTheirOriginals() {
    Checkpoint base = base();
    // two ids the run's tokenizer added (20, 21); replicas of 3 and 5; a brand-new pair 24 -> 25
    MappedRouter router =
        new MappedRouter(Separation.PARTIAL, 22, 26, Map.of(3, 22, 5, 23, 24, 25));
    Checkpoint grown = SeparationGrowth.grow(base, router, 11);
    assertEquals(26, grown.spec().embeddingRows());
    assertEquals(Separation.PARTIAL, grown.spec().separation());
    assertEquals(0, grown.completedSteps());
    assertTrue(grown.optimizer().isEmpty());
    for (int id = 0; id < 20; id++) assertArrayEquals(row(base, id), row(grown, id), "row " + id);
    assertArrayEquals(row(grown, 3), row(grown, 22));
    assertArrayEquals(row(grown, 5), row(grown, 23));
    assertArrayEquals(row(grown, 24), row(grown, 25));
    for (int id : new int[] {20, 21, 24}) {
      assertFalse(Arrays.equals(new float[W], row(grown, id)), "fresh row " + id);
    }
    assertEquals(
        grown.weights().get("wte"), SeparationGrowth.grow(base, router, 11).weights().get("wte"));
    assertEquals(base.weights().get("h.0.ln_1.weight"), grown.weights().get("h.0.ln_1.weight"));
  }

  @Test
  void aTokenizerSmallerThanTheModelIsRefusedNamingTheKey() {
    MappedRouter router = new MappedRouter(Separation.FULL, 18, 20, Map.of(3, 18, 4, 19));
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> SeparationGrowth.grow(base(), router, 1));
    assertTrue(e.getMessage().contains("training.init"), e.getMessage());
    assertTrue(e.getMessage().contains("20 embedding rows"), e.getMessage());
  }
}
