package dev.text2code.evaluation.cert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Sketch-then-generate. For each batch of samples: the sketcher samples continuations of the
 * prompt, each is cut to its first block; the most frequent one ("popular", first seen wins a tie)
 * decides the rest. If it is empty or still holds a placeholder word, the generator continues
 * {@code popular + "\n# [segmentation]\n" + prompt} (just the prompt when popular is empty) and its
 * outputs are the answers, unless every one of them is empty, in which case the sketcher's are.
 * Without placeholders the sketcher's samples are the answers.
 */
public final class CertPipeline {
  private final TextSampler sketcher;
  private final TextSampler generator;
  private final CertSettings settings;

  public CertPipeline(TextSampler sketcher, TextSampler generator, CertSettings settings) {
    this.sketcher = sketcher;
    this.generator = generator;
    this.settings = settings;
  }

  /** Which model produced a batch's answers, for reports. */
  public enum Source {
    SKETCHER,
    GENERATOR,
    SKETCHER_FALLBACK
  }

  /** One batch: the popular sketch, where the answers came from, and the answers. */
  public record Batch(String popularSketch, Source source, List<String> completions) {}

  /** All samples of one prompt, batch by batch. */
  public record Result(List<Batch> batches) {
    public List<String> completions() {
      List<String> all = new ArrayList<>();
      for (Batch b : batches) all.addAll(b.completions());
      return all;
    }
  }

  public Result generate(String prompt) {
    List<Batch> batches = new ArrayList<>();
    int remaining = settings.samples();
    int size = Math.min(settings.batchSize(), settings.samples());
    while (remaining > 0) {
      int b = Math.min(size, remaining);
      batches.add(batch(prompt, b));
      remaining -= b;
    }
    return new Result(batches);
  }

  private Batch batch(String prompt, int b) {
    List<String> sketches =
        cutAll(sketcher.sample(prompt, b, settings.sketcherTemperature(), settings.seed()), b);
    String popular = mostFrequent(sketches);
    if (!popular.isEmpty() && !hasPlaceholder(popular)) {
      return new Batch(popular, Source.SKETCHER, sketches);
    }
    String conditioned = popular.isEmpty() ? prompt : popular + CertSettings.SEGMENTATION + prompt;
    List<String> generated =
        cutAll(
            generator.sample(conditioned, b, settings.generatorTemperature(), settings.seed()), b);
    boolean allEmpty = generated.stream().allMatch(String::isEmpty);
    return allEmpty
        ? new Batch(popular, Source.SKETCHER_FALLBACK, sketches)
        : new Batch(popular, Source.GENERATOR, generated);
  }

  /** The text before the first block boundary, right-stripped. */
  public String firstBlock(String sample) {
    Matcher m = settings.blockCut().matcher(sample);
    String head = m.find() ? sample.substring(0, m.start()) : sample;
    return head.stripTrailing();
  }

  public boolean hasPlaceholder(String sketch) {
    for (String p : settings.placeholders()) {
      if (sketch.contains(p)) return true;
    }
    return false;
  }

  /** The most frequent string; ties go to the one seen first (Python's Counter.most_common). */
  static String mostFrequent(List<String> samples) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String s : samples) counts.merge(s, 1, Integer::sum);
    String best = "";
    int bestCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  private List<String> cutAll(List<String> samples, int expected) {
    if (samples.size() != expected) {
      throw new IllegalStateException(
          "sampler returned " + samples.size() + " samples, expected " + expected);
    }
    List<String> cut = new ArrayList<>(samples.size());
    for (String s : samples) cut.add(firstBlock(s));
    return cut;
  }
}
