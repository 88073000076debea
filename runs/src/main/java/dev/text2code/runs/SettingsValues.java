package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Typed readings of configuration values that runs share: the data directory, lists, choices. */
public final class SettingsValues {
  private SettingsValues() {}

  /**
   * {@code evaluation.data-dir}, or {@code ../shared/data} / {@code shared/data} when that exists.
   */
  public static Path dataDirectory(Settings settings) {
    String configured = settings.string("evaluation.data-dir", "");
    if (!configured.isBlank()) return Path.of(configured);
    for (Path candidate : List.of(Path.of("..", "shared", "data"), Path.of("shared", "data"))) {
      if (Files.isDirectory(candidate)) return candidate;
    }
    return Path.of("..", "shared", "data");
  }

  /** Parses {@code "1,10,100"}. */
  public static List<Integer> integers(String key, String value) {
    List<Integer> out = new ArrayList<>();
    for (String part : value.split(",")) {
      try {
        int k = Integer.parseInt(part.trim());
        if (k < 1) throw new NumberFormatException();
        out.add(k);
      } catch (NumberFormatException e) {
        throw new ConfigurationException(
            key
                + " = "
                + value
                + " is not valid; expected positive integers separated by commas, e.g. 1,10,100");
      }
    }
    return out;
  }

  /** An enum value by its configuration spelling ({@code fork-server} for {@code FORK_SERVER}). */
  public static <E extends Enum<E>> E choice(Settings settings, String key, Class<E> type) {
    String value = settings.string(key);
    String constant = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(constant)) return e;
    }
    List<String> valid = new ArrayList<>();
    for (E e : type.getEnumConstants())
      valid.add(e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    throw new ConfigurationException(
        key + " = " + value + " is not valid; expected one of " + valid);
  }
}
