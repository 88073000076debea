package dev.text2code.api.backend;

import dev.text2code.api.ConfigurationException;
import java.util.Locale;

/**
 * The floating-point type a backend computes in. {@code FP32} everywhere by default; {@code BF16}
 * and {@code FP16} are mixed precision: the forward and backward passes run in the 16-bit type
 * while master weights, gradients, optimizer state and checkpoints stay float32 ({@code FP16} adds
 * dynamic loss scaling, since its range is too small for small gradients).
 */
public enum Precision {
  FP32,
  BF16,
  FP16;

  /** Parses {@code fp32 | bf16 | fp16} for the configuration key {@code key}. */
  public static Precision parse(String key, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          key + " = " + value + " is not valid; expected one of fp32, bf16, fp16");
    }
  }

  /** The configuration spelling ({@code fp32}, {@code bf16}, {@code fp16}). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
