package dev.text2code.objectives.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Sequences;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class CertProperties {
  private static CertObjectives sketcher;
  private static CertObjectives generator;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(
        PythonSketcher.available("python3"), "python3 is not installed; CERT sketching needs it");
    sketcher = CertObjectives.sketcher(Sequences.TOKENIZER, Settings.empty());
    generator = CertObjectives.generator(Sequences.TOKENIZER, Settings.empty());
  }

  @AfterAll
  static void stop() {
    if (sketcher != null) sketcher.sketcher().close();
    if (generator != null) generator.sketcher().close();
  }

  /** Small programs: assignments of ints, floats and strings to names, inside a def or not. */
  private static Gen<String> programs() {
    Gen<String> statement =
        integers()
            .between(0, 2)
            .zip(
                integers().between(0, 99_999),
                (kind, n) ->
                    switch (kind) {
                      case 0 -> "v" + n + " = " + n;
                      case 1 -> "w" + n + " = " + n + ".5";
                      default -> "s" + n + " = 'x" + n + "'";
                    });
    return lists()
        .of(statement)
        .ofSizeBetween(1, 6)
        .zip(
            integers().between(0, 1),
            (lines, wrapped) ->
                wrapped == 1
                    ? "def f" + lines.size() + "():\n    " + String.join("\n    ", lines) + "\n"
                    : String.join("\n", lines) + "\n");
  }

  private static String expectedSketch(String program) {
    StringBuilder out = new StringBuilder();
    for (String line : program.split("\n", -1)) {
      if (line.startsWith("def f")) {
        out.append("def func():");
      } else if (line.isEmpty()) {
        // the final newline
      } else {
        int eq = line.indexOf(" = ");
        String value = line.substring(eq + 3);
        String word = value.startsWith("'") ? "string" : value.contains(".") ? "float" : "number";
        out.append(line, 0, eq + 3).append(word);
      }
      out.append('\n');
    }
    return out.substring(0, out.length() - 1);
  }

  @Test
  void sketchesReplaceEveryLiteralAndNothingElse() {
    qt().withExamples(60)
        .forAll(programs(), longs().all())
        .checkAssert(
            (program, seed) -> {
              TokenSequence input =
                  TokenSequence.uniform(
                      Sequences.TOKENIZER.encode(program).toArray(), Modality.CODE);
              TrainingExample e = sketcher.apply(input, new SplittableRandom(seed));
              int[] ids = e.inputIds();
              String body =
                  Sequences.TOKENIZER.decode(
                      dev.text2code.api.TokenIds.of(ids).slice(1, ids.length - 1));
              assertEquals(expectedSketch(program), body);
              assertEquals(e, sketcher.apply(input, new SplittableRandom(seed + 1)));
              TrainingExample g = generator.apply(input, new SplittableRandom(seed));
              String merged =
                  Sequences.TOKENIZER.decode(
                      dev.text2code.api.TokenIds.of(g.inputIds()).slice(1, g.length() - 1));
              assertEquals(expectedSketch(program) + CertCorpus.SEGMENTATION + program, merged);
            });
  }

  @Test
  void placeholderWordsAreTheOnesCertLooksFor() {
    assertEquals(12, Sketch.PLACEHOLDERS.size());
    for (String word : List.of("func", "AnClass", "number", "string", "interrawstring")) {
      assertEquals(true, CertCorpus.hasPlaceholder("x = " + word));
    }
  }
}
