package dev.text2code.runs;

import dev.text2code.api.Settings;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.Generator;
import dev.text2code.evaluation.cert.CertPipeline;
import dev.text2code.evaluation.cert.CertSettings;
import dev.text2code.evaluation.cert.GeneratorSampler;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.problems.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** CERT two-stage generation for a benchmark from a sketcher run and a generator run. */
public final class CertGeneration {
  private CertGeneration() {}

  /** The paper's CERT parameters with the {@code cert.*} keys of {@code config} applied. */
  public static CertSettings settings(Settings config) {
    CertSettings paper = CertSettings.paperDefaults();
    return new CertSettings(
        config.number("cert.sketcher-temperature", paper.sketcherTemperature()),
        config.number("cert.generator-temperature", paper.generatorTemperature()),
        config.number("cert.top-p", paper.topP()),
        (int) config.integer("cert.samples", paper.samples()),
        (int) config.integer("cert.batch-size", paper.batchSize()),
        (int) config.integer("cert.max-new-tokens", paper.maxNewTokens()),
        paper.blockCut(),
        paper.placeholders(),
        config.integer("cert.seed", paper.seed()));
  }

  /**
   * CERT samples for a benchmark, written to {@code output}: the sketcher run sketches, the
   * generator run writes code from the sketches (with the paper's fall-backs).
   *
   * @param benchmark a benchmark name or problems file; null for {@code evaluation.benchmark}
   * @return {@code output}
   */
  public static Path generate(
      RunComponents components,
      Settings config,
      Backend backend,
      RunLayout sketcherRun,
      RunLayout generatorRun,
      String benchmark,
      Path output,
      RunListener listener) {
    CertSettings cert = settings(config);
    String name = benchmark != null ? benchmark : config.string("evaluation.benchmark");
    List<Problem> problems = BenchmarkGeneration.problems(config, name);
    RunTokenizers sketcherTokens =
        RunTokenizers.of(components, components.settingsOf(sketcherRun), sketcherRun);
    RunTokenizers generatorTokens =
        RunTokenizers.of(components, components.settingsOf(generatorRun), generatorRun);
    Device device = Device.parse(config.string("device"));
    List<Sample> samples = new ArrayList<>();
    int[] sources = new int[CertPipeline.Source.values().length];
    try (Generator sketcher = backend.openGenerator(sketcherRun.checkpoint(), device);
        Generator generator = backend.openGenerator(generatorRun.checkpoint(), device)) {
      CertPipeline pipeline =
          new CertPipeline(
              new GeneratorSampler(
                  sketcher, sketcherTokens.tokenizer(), cert.maxNewTokens(), cert.topP()),
              new GeneratorSampler(
                  generator, generatorTokens.tokenizer(), cert.maxNewTokens(), cert.topP()),
              cert);
      for (Problem problem : problems) {
        for (CertPipeline.Batch batch : pipeline.generate(problem.prompt()).batches()) {
          sources[batch.source().ordinal()]++;
          for (String completion : batch.completions()) {
            Sample sample = new Sample(problem.taskId(), completion);
            var fields = sample.fields();
            fields.put("cert_source", batch.source().name().toLowerCase(Locale.ROOT));
            fields.put("cert_sketch", batch.popularSketch());
            samples.add(new Sample(problem.taskId(), completion, fields));
          }
        }
      }
    }
    SampleFile.write(output, samples);
    listener.report(
        String.format(
            "%s: %d CERT samples for %d problems (batches answered by sketcher %d, generator %d,"
                + " sketcher fall-back %d)",
            name, samples.size(), problems.size(), sources[0], sources[1], sources[2]));
    return output;
  }
}
