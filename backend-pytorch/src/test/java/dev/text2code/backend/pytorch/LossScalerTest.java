package dev.text2code.backend.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.text2code.api.ConfigurationException;
import org.junit.jupiter.api.Test;

/** Dynamic loss scaling as pure arithmetic: overflow skips and halves, growth doubles. */
class LossScalerTest {
  @Test
  void anOverflowSkipsTheStepAndHalvesTheScale() {
    LossScaler s = new LossScaler(1024, 3);
    assertTrue(s.update(true));
    assertEquals(1, s.goodSteps());
    assertFalse(s.update(false), "a step with inf/NaN gradients must be skipped");
    assertEquals(512, s.scale());
    assertEquals(0, s.goodSteps(), "an overflow restarts the growth count");
    assertFalse(s.update(false));
    assertEquals(256, s.scale());
  }

  @Test
  void theScaleDoublesAfterGrowthIntervalFiniteStepsInARow() {
    LossScaler s = new LossScaler(1024, 3);
    assertTrue(s.update(true));
    assertTrue(s.update(true));
    assertEquals(1024, s.scale());
    assertTrue(s.update(true));
    assertEquals(2048, s.scale());
    assertEquals(0, s.goodSteps());
    // an overflow in between restarts the count: 2 good, overflow, 2 good -> no growth
    s.update(true);
    s.update(true);
    s.update(false);
    s.update(true);
    s.update(true);
    assertEquals(1024, s.scale());
    s.update(true);
    assertEquals(2048, s.scale());
  }

  @Test
  void theScaleStaysWithinOneAndTwoToThe24() {
    LossScaler low = new LossScaler(2, 1000);
    low.update(false);
    low.update(false);
    low.update(false);
    assertEquals(1, low.scale());
    LossScaler high = new LossScaler(16777216.0, 1);
    high.update(true);
    assertEquals(16777216.0, high.scale());
  }

  @Test
  void theStandardScalerStartsAt65536AndRestoresExactly() {
    assertEquals(65536.0, LossScaler.standard().scale());
    LossScaler r = LossScaler.restore(128, 2, 3);
    assertTrue(r.update(true));
    assertEquals(256, r.scale(), "2 restored good steps + 1 reach the interval of 3");
    assertThrows(ConfigurationException.class, () -> LossScaler.restore(128, 3, 3));
    assertThrows(ConfigurationException.class, () -> new LossScaler(0.5, 3));
    assertThrows(ConfigurationException.class, () -> new LossScaler(2, 0));
  }
}
