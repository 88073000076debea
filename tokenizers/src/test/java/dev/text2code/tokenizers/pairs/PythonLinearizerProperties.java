package dev.text2code.tokenizers.pairs;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.text2code.tokenizers.UnicodeStrings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** reverse(linearize(code)) == code for arbitrary indentation, blank lines and line contents. */
class PythonLinearizerProperties {
  private static Gen<String> lines() {
    Gen<String> indent =
        lists()
            .of(
                integers()
                    .between(0, 5)
                    .map(k -> k < 3 ? "    " : k == 3 ? " " : k == 4 ? "\t" : ""))
            .ofSizeBetween(0, 4)
            .map(parts -> String.join("", parts));
    Gen<String> content = UnicodeStrings.strings(8).map(s -> s.replace("\n", "").replace("<", "("));
    return indent.zip(content, (a, b) -> a + b);
  }

  @Test
  void reversalIsExact() {
    Gen<String> code =
        lists().of(lines()).ofSizeBetween(0, 12).map((List<String> l) -> String.join("\n", l));
    qt().withExamples(2000)
        .forAll(code, integers().between(0, 2))
        .check(
            (c, unit) -> {
              PythonLinearizer l =
                  new PythonLinearizer(unit == 0 ? "    " : unit == 1 ? "\t" : "  ");
              return l.reverse(l.linearize(c)).equals(c);
            });
  }
}
