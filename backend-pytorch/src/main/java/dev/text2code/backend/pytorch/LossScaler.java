package dev.text2code.backend.pytorch;

import dev.text2code.api.ConfigurationException;

/**
 * Dynamic loss scaling for fp16 training (the scheme of mixed-precision training as torch's
 * GradScaler does it): the loss is multiplied by {@link #scale()} before the backward pass so that
 * small gradients survive fp16's range; the gradients are divided by it again before the update. A
 * step whose gradients hold an inf or NaN is skipped and the scale halved; after {@code
 * growthInterval} consecutive finite steps the scale doubles. Pure Java: no tensor is touched.
 */
final class LossScaler {
  static final double INITIAL_SCALE = 65536.0;
  static final int GROWTH_INTERVAL = 2000;
  private static final double MIN_SCALE = 1.0;
  private static final double MAX_SCALE = 16777216.0; // 2^24

  private final int growthInterval;
  private double scale;
  private int goodSteps;

  LossScaler(double initialScale, int growthInterval) {
    if (!(initialScale >= MIN_SCALE) || initialScale > MAX_SCALE) {
      throw new ConfigurationException(
          "loss scale " + initialScale + " is not valid; expected a value in [1, 2^24]");
    }
    if (growthInterval <= 0) {
      throw new ConfigurationException(
          "loss-scale growth interval " + growthInterval + " is not valid; expected > 0");
    }
    this.scale = initialScale;
    this.growthInterval = growthInterval;
  }

  /** The default scaler: 2^16, doubled after 2000 finite steps. */
  static LossScaler standard() {
    return new LossScaler(INITIAL_SCALE, GROWTH_INTERVAL);
  }

  /** Restores a scaler from its {@link #scale()} and {@link #goodSteps()}. */
  static LossScaler restore(double scale, int goodSteps, int growthInterval) {
    LossScaler s = new LossScaler(scale, growthInterval);
    if (goodSteps < 0 || goodSteps >= growthInterval) {
      throw new ConfigurationException(
          "loss-scale good steps " + goodSteps + " is not in [0, " + growthInterval + ")");
    }
    s.goodSteps = goodSteps;
    return s;
  }

  /** The factor the loss is multiplied by before the backward pass. */
  double scale() {
    return scale;
  }

  /** Consecutive finite steps since the scale last changed. */
  int goodSteps() {
    return goodSteps;
  }

  /**
   * Records the outcome of a backward pass and returns whether the optimizer may step: false (skip
   * the step, halve the scale) when the scaled gradients overflowed, true otherwise (and the scale
   * doubles once {@code growthInterval} finite steps ran in a row).
   *
   * @param gradientsFinite whether every scaled gradient is finite
   */
  boolean update(boolean gradientsFinite) {
    if (!gradientsFinite) {
      scale = Math.max(MIN_SCALE, scale / 2);
      goodSteps = 0;
      return false;
    }
    goodSteps++;
    if (goodSteps == growthInterval) {
      scale = Math.min(MAX_SCALE, scale * 2);
      goodSteps = 0;
    }
    return true;
  }
}
