package dev.text2code.api.backend;

import dev.text2code.api.ConfigurationException;
import java.util.Locale;

/**
 * Where a backend computes. {@code GPU} fails clearly where there is none; {@code AUTO} takes a GPU
 * if present.
 */
public enum Device {
  CPU,
  GPU,
  AUTO;

  public static Device parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "device = " + value + " is not valid; expected one of cpu, gpu, auto");
    }
  }
}
