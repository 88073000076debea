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
      if (value.trim().toLowerCase(Locale.ROOT).startsWith("gpu:")) {
        throw new ConfigurationException(
            "device = "
                + value
                + " names a GPU number, which only training takes (see Placement); generation runs"
                + " on cpu, gpu (the first GPU) or auto");
      }
      throw new ConfigurationException(
          "device = " + value + " is not valid; expected one of cpu, gpu, auto");
    }
  }
}
