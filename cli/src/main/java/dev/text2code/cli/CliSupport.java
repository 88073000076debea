package dev.text2code.cli;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers the commands share: locating data, parsing lists. */
final class CliSupport {
  private CliSupport() {}

  /**
   * {@code evaluation.data-dir}, or {@code ../shared/data} / {@code shared/data} when that exists.
   */
  static Path dataDirectory(Settings settings) {
    String configured = settings.string("evaluation.data-dir", "");
    if (!configured.isBlank()) return Path.of(configured);
    for (Path candidate : List.of(Path.of("..", "shared", "data"), Path.of("shared", "data"))) {
      if (Files.isDirectory(candidate)) return candidate;
    }
    return Path.of("..", "shared", "data");
  }

  /** Parses {@code "1,10,100"}. */
  static List<Integer> integers(String key, String value) {
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
}
