package dev.text2code.evaluation.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertPipelineTest {
  private final CertSettings settings = CertSettings.paperDefaults().withSamples(4, 2);

  /** Answers with a fixed list per call and records the prompts it saw. */
  static final class Scripted implements TextSampler {
    final List<List<String>> answers;
    final List<String> prompts = new ArrayList<>();
    final List<Double> temperatures = new ArrayList<>();

    Scripted(List<List<String>> answers) {
      this.answers = answers;
    }

    @Override
    public List<String> sample(String prompt, int n, double temperature, long seed) {
      prompts.add(prompt);
      temperatures.add(temperature);
      return answers.get((prompts.size() - 1) % answers.size()).subList(0, n);
    }
  }

  @Test
  void aSketchWithoutPlaceholdersIsTheAnswer() {
    Scripted sketcher = new Scripted(List.of(List.of("df.dropna()\nprint(df)", "df.dropna()")));
    Scripted generator = new Scripted(List.of(List.of("never", "used")));
    CertPipeline.Result r = new CertPipeline(sketcher, generator, settings).generate("p");
    assertEquals(
        List.of("df.dropna()", "df.dropna()", "df.dropna()", "df.dropna()"), r.completions());
    assertEquals(CertPipeline.Source.SKETCHER, r.batches().get(0).source());
    assertTrue(generator.prompts.isEmpty());
  }

  @Test
  void aPopularSketchWithPlaceholdersConditionsTheGenerator() {
    Scripted sketcher =
        new Scripted(List.of(List.of("df[df[string] > number]", "df[df[string] > number]")));
    Scripted generator =
        new Scripted(List.of(List.of("df[df['a'] > 3]", "df[df['b'] > 1]\ndef x(): pass")));
    CertPipeline.Result r = new CertPipeline(sketcher, generator, settings).generate("PROMPT");
    assertEquals("df[df[string] > number]\n# [segmentation]\nPROMPT", generator.prompts.get(0));
    assertEquals(List.of("df[df['a'] > 3]", "df[df['b'] > 1]"), r.batches().get(0).completions());
    assertEquals(0.2, generator.temperatures.get(0));
    assertEquals(1.0, sketcher.temperatures.get(0));
  }

  @Test
  void anEmptyPopularSketchSendsThePromptAloneToTheGenerator() {
    Scripted sketcher = new Scripted(List.of(List.of("", "\nif x:")));
    Scripted generator = new Scripted(List.of(List.of("a", "b")));
    new CertPipeline(sketcher, generator, settings).generate("PROMPT");
    assertEquals("PROMPT", generator.prompts.get(0));
  }

  @Test
  void whenTheGeneratorReturnsOnlyEmptyStringsTheSketchesAreUsed() {
    Scripted sketcher = new Scripted(List.of(List.of("x = number", "y = string")));
    Scripted generator = new Scripted(List.of(List.of("", "\n# comment")));
    CertPipeline.Result r = new CertPipeline(sketcher, generator, settings).generate("p");
    assertEquals(CertPipeline.Source.SKETCHER_FALLBACK, r.batches().get(0).source());
    assertEquals(List.of("x = number", "y = string"), r.batches().get(0).completions());
  }

  @Test
  void theMostFrequentSketchWinsAndTiesGoToTheFirstSeen() {
    assertEquals("b", CertPipeline.mostFrequent(List.of("a", "b", "b", "a", "b")));
    assertEquals("a", CertPipeline.mostFrequent(List.of("a", "b")));
    assertEquals("", CertPipeline.mostFrequent(Collections.emptyList()));
  }

  @Test
  void blocksAreCutAtThePaperBoundariesAndRightStripped() {
    CertPipeline p =
        new CertPipeline((a, n, t, s) -> List.of(), (a, n, t, s) -> List.of(), settings);
    assertEquals("return x", p.firstBlock("return x  \n\ndef other():"));
    assertEquals("a = 1\nb = 2", p.firstBlock("a = 1\nb = 2\n# done"));
    assertEquals("x", p.firstBlock("x\nprint(x)"));
    assertEquals("y = f(x)", p.firstBlock("y = f(x)\t\n"));
  }

  @Test
  void samplesComeInBatchesOfAtMostTheBatchSize() {
    Scripted sketcher = new Scripted(List.of(List.of("a", "a", "a")));
    CertSettings five = CertSettings.paperDefaults().withSamples(5, 3);
    CertPipeline.Result r = new CertPipeline(sketcher, sketcher, five).generate("p");
    assertEquals(2, r.batches().size());
    assertEquals(5, r.completions().size());
  }
}
