package dev.text2code.data.decontamination;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * Which benchmarks a corpus is checked against, and how.
 *
 * @param benchmarks benchmark names ({@link Decontaminator#KNOWN}) or paths to HumanEval-format
 *     {@code .jsonl(.gz)} files; empty = no decontamination
 * @param ngram a training pair overlapping a benchmark problem's prompt + canonical solution in
 *     this many consecutive code tokens is removed (default 10)
 * @param docstrings also remove pairs whose description equals a benchmark prompt's docstring
 *     (whitespace collapsed)
 * @param examples how many removed pairs the report lists per benchmark
 */
public record DecontaminationOptions(
    List<String> benchmarks, int ngram, boolean docstrings, int examples) {
  public DecontaminationOptions {
    benchmarks = List.copyOf(benchmarks);
    ConfigurationException.require(
        ngram >= 1 && ngram <= 1000, "ngram", ngram, "an integer in [1, 1000]");
    ConfigurationException.require(examples >= 0, "examples", examples, "a non-negative integer");
  }

  public boolean enabled() {
    return !benchmarks.isEmpty();
  }

  /**
   * Reads {@code data.decontamination.}{@code benchmarks} (comma-separated names or files, default
   * none), {@code ngram} (10), {@code docstrings} (true) and {@code examples} (20).
   */
  public static DecontaminationOptions fromSettings(Settings settings) {
    List<String> names = new ArrayList<>();
    for (String part : settings.string("data.decontamination.benchmarks", "").split(",")) {
      if (!part.isBlank()) names.add(part.trim());
    }
    long n = settings.integer("data.decontamination.ngram", 10);
    if (n < 1 || n > 1000) {
      throw new ConfigurationException(
          settings.origin()
              + ": data.decontamination.ngram = "
              + n
              + " is not valid; expected an integer in [1, 1000]");
    }
    return new DecontaminationOptions(
        names,
        (int) n,
        settings.flag("data.decontamination.docstrings", true),
        (int) Math.max(0, settings.integer("data.decontamination.examples", 20)));
  }
}
