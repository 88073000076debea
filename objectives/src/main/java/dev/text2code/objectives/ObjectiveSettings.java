package dev.text2code.objectives;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import java.util.Arrays;
import java.util.Locale;

/**
 * Typed, validated reads of {@code objectives.<name>.*} keys; every failure names the full key, its
 * value and what is allowed.
 */
public final class ObjectiveSettings {
  private final Settings settings;
  private final String prefix;

  public ObjectiveSettings(Settings settings, String objectiveName) {
    this.settings = settings;
    this.prefix = "objectives." + objectiveName + ".";
  }

  /** The full key of a setting of this objective. */
  public String key(String name) {
    return prefix + name;
  }

  /** A probability in [0, 1]. */
  public double probability(String name, double fallback) {
    double v = settings.number(key(name), fallback);
    if (!(v >= 0 && v <= 1)) {
      throw invalid(name, v, "a probability in [0, 1]");
    }
    return v;
  }

  /** A number within [min, max]. */
  public double number(String name, double fallback, double min, double max) {
    double v = settings.number(key(name), fallback);
    if (!(v >= min && v <= max)) {
      throw invalid(name, v, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  public int integer(String name, int fallback, int min, int max) {
    long v = settings.integer(key(name), fallback);
    if (v < min || v > max) {
      throw invalid(name, v, "an integer in [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  public boolean flag(String name, boolean fallback) {
    return settings.flag(key(name), fallback);
  }

  public String string(String name, String fallback) {
    return settings.string(key(name), fallback).trim();
  }

  /** One of the constants of {@code type}, spelled in lower case with dashes. */
  public <E extends Enum<E>> E choice(String name, E fallback, Class<E> type) {
    String raw = settings.find(key(name)).map(String::trim).orElse(null);
    if (raw == null) return fallback;
    for (E e : type.getEnumConstants()) {
      if (spelling(e).equals(raw.toLowerCase(Locale.ROOT))) return e;
    }
    throw invalid(
        name,
        raw,
        "one of "
            + Arrays.stream(type.getEnumConstants()).map(ObjectiveSettings::spelling).toList());
  }

  /**
   * How an enum constant is written in configuration: {@code PAPER_RANDOM} -> {@code paper-random}.
   */
  public static String spelling(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public ConfigurationException invalid(String name, Object value, String allowed) {
    return new ConfigurationException(
        settings.origin()
            + ": "
            + key(name)
            + " = "
            + value
            + " is not valid; expected "
            + allowed);
  }
}
