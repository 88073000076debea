package dev.text2code.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.text2code.api.Separation;
import dev.text2code.api.Settings;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.training.TrainingLoop;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 20: a run without held-out evaluation says so instead of printing a NaN loss. */
class TrainingRunResultTest {
  private static final ModelSpec SPEC = new ModelSpec(1, 2, 16, 64, 100, Separation.NONE, 0.0);

  private static TrainingRun.Result result(double heldOutLoss, long heldOutRows) {
    return new TrainingRun.Result(
        new TrainingLoop.Summary(4, 5.0, heldOutLoss, false, Path.of("checkpoint")),
        SPEC,
        2,
        heldOutRows);
  }

  @Test
  void theHeldOutLossWhenOneWasMeasured() {
    assertEquals("held-out loss 4.8272", result(4.82716, 3).heldOut(Settings.empty()));
  }

  @Test
  void whyThereIsNone() {
    assertEquals(
        "no held-out evaluation ran (training.eval-interval = 0)",
        result(Double.NaN, 3).heldOut(Settings.of(Map.of("training.eval-interval", 0))));
    assertEquals(
        "no held-out evaluation ran (no held-out rows)",
        result(Double.NaN, 0).heldOut(Settings.of(Map.of("training.eval-interval", 2))));
    assertEquals(
        "no held-out evaluation ran (training.eval-interval = 50 is beyond the steps run)",
        result(Double.NaN, 3).heldOut(Settings.of(Map.of("training.eval-interval", 50))));
  }
}
