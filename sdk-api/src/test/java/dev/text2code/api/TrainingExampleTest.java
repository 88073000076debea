package dev.text2code.api;

import static dev.text2code.api.objective.TrainingExample.IGNORE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.TrainingExample;
import org.junit.jupiter.api.Test;

class TrainingExampleTest {
  @Test
  void arraysAreCopiedInAndOut() {
    int[] ids = {1, 2, 3};
    TrainingExample e =
        TrainingExample.causal(ids, new int[] {2, 3, TrainingExample.IGNORE}, new byte[3]);
    ids[0] = 99;
    e.inputIds()[1] = 99;
    assertEquals(1, e.inputId(0));
    assertEquals(2, e.inputId(1));
    assertEquals(2, e.labelledCount());
  }

  @Test
  void negativeLabelsOtherThanIgnoreAreRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingExample.causal(new int[] {1}, new int[] {-1}, new byte[1]));
    assertTrue(e.getMessage().contains("labels[0] = -1"), e.getMessage());
  }

  @Test
  void builderDerivesShiftedLabelsTargetModalitiesAndPositions() {
    TrainingExample built =
        TrainingExample.builder(2)
            .add(7, (byte) 0)
            .addAll(new int[] {5, 8, 9, 6}, 1, 3, (byte) 1)
            .addAll(new int[] {4, 3}, new byte[] {0, 1}, 0, 2)
            .nextToken(2, 1);
    TrainingExample expected =
        TrainingExample.of(
            new int[] {7, 8, 9, 4, 3},
            new int[] {IGNORE, 9, 4, 3, IGNORE},
            new byte[] {0, 1, 0, 1, 0},
            new int[] {0, 1, 2, 3, 4},
            AttentionSpec.prefix(5, 1));
    assertEquals(expected, built);
    assertEquals(expected.hashCode(), built.hashCode());
    assertEquals(3, built.labelledCount());
  }

  @Test
  void builderLabelsEveryTargetFromZeroOrOne() {
    for (int first : new int[] {0, 1}) {
      TrainingExample e =
          TrainingExample.builder(3)
              .addAll(new int[] {1, 2, 3}, 0, 3, (byte) 1)
              .nextToken(first, 0);
      assertArrayEquals(new int[] {2, 3, IGNORE}, e.labels());
      assertArrayEquals(new byte[] {1, 1, 0}, e.targetModalities());
    }
    TrainingExample none =
        TrainingExample.builder(3).addAll(new int[] {1, 2, 3}, 0, 3, (byte) 1).nextToken(3, 0);
    assertEquals(0, none.labelledCount());
    assertEquals(0, TrainingExample.builder(0).nextToken(0, 0).length());
  }

  @Test
  void builderKeepsEveryModalityWhileGrowingFromOneShared() {
    TrainingExample.Builder builder = TrainingExample.builder(0);
    for (int i = 0; i < 5; i++) builder.add(10 + i, (byte) 1);
    builder.addAll(new int[] {20, 21}, 0, 2, (byte) 0).addAll(new int[0], 0, 0, (byte) 1);
    builder.addAll(new int[] {30, 31}, new byte[] {1, 0}, 0, 2).add(40, (byte) 1);
    TrainingExample e = builder.nextToken(0, 0);
    assertArrayEquals(new int[] {10, 11, 12, 13, 14, 20, 21, 30, 31, 40}, e.inputIds());
    assertArrayEquals(new byte[] {1, 1, 1, 1, 0, 0, 1, 0, 1, 0}, e.targetModalities());
    assertArrayEquals(new int[] {11, 12, 13, 14, 20, 21, 30, 31, 40, IGNORE}, e.labels());
  }

  @Test
  void builderBuildsOnceAndRejectsBadTokensWithTheirIndex() {
    TrainingExample.Builder builder = TrainingExample.builder(1).add(1, (byte) 0);
    builder.nextToken(0, 0);
    assertThrows(IllegalStateException.class, () -> builder.add(2, (byte) 0));
    IllegalArgumentException negative =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingExample.builder(2).add(1, (byte) 0).add(-5, (byte) 0).nextToken(0, 0));
    assertTrue(negative.getMessage().contains("inputIds[1] = -5"), negative.getMessage());
    IllegalArgumentException modality =
        assertThrows(
            IllegalArgumentException.class,
            () -> TrainingExample.builder(2).add(1, (byte) 2).nextToken(0, 0));
    assertTrue(modality.getMessage().contains("token 0 = 2"), modality.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> TrainingExample.builder(1).add(1, (byte) 0).nextToken(2, 0));
  }

  @Test
  void invalidSpecsNameTheKeyAndTheValidRange() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> new ModelSpec(2, 3, 16, 32, 10, Separation.NONE, 0));
    assertTrue(e.getMessage().contains("model.width = 16"), e.getMessage());
    assertTrue(e.getMessage().contains("multiple of model.heads (3)"), e.getMessage());
  }

  @Test
  void scheduleWarmsUpThenDecaysToTheMinimum() {
    TrainingConfig c = TrainingConfig.defaults(1, 1, 110);
    assertEquals(1e-4, c.learningRateAt(0), 1e-12);
    assertEquals(1e-3, c.learningRateAt(9), 1e-12);
    assertEquals(1e-3, c.learningRateAt(10), 1e-12);
    assertEquals(1e-4, c.learningRateAt(110), 1e-12);
    assertTrue(c.learningRateAt(60) < 1e-3 && c.learningRateAt(60) > 1e-4);
  }
}
