package dev.text2code.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
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
