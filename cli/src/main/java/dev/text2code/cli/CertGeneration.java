package dev.text2code.cli;

import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.Generator;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.RunLayout;
import dev.text2code.cli.run.RunTokenizers;
import dev.text2code.cli.run.TrainingRun;
import dev.text2code.evaluation.cert.CertPipeline;
import dev.text2code.evaluation.cert.CertSettings;
import dev.text2code.evaluation.cert.GeneratorSampler;
import dev.text2code.evaluation.io.Sample;
import dev.text2code.evaluation.io.SampleFile;
import dev.text2code.evaluation.problems.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CERT two-stage generation for a benchmark from a sketcher run and a generator run. */
final class CertGeneration {
  private CertGeneration() {}

  static CertSettings settings(SdkConfig config) {
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

  static Path generate(
      SdkCli root,
      SdkConfig config,
      RunLayout sketcherRun,
      RunLayout generatorRun,
      String benchmark,
      Path output,
      PrintWriter out) {
    CertSettings cert = settings(config);
    String name = benchmark != null ? benchmark : config.string("evaluation.benchmark");
    List<Problem> problems = GenerateCommand.problems(config, name);
    RunTokenizers sketcherTokens =
        RunTokenizers.of(root.components(), TrainingRun.settingsOf(sketcherRun), sketcherRun);
    RunTokenizers generatorTokens =
        RunTokenizers.of(root.components(), TrainingRun.settingsOf(generatorRun), generatorRun);
    Backend backend = root.components().backends().select(config.backend());
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
            fields.put("cert_source", batch.source().name().toLowerCase(java.util.Locale.ROOT));
            fields.put("cert_sketch", batch.popularSketch());
            samples.add(new Sample(problem.taskId(), completion, fields));
          }
        }
      }
    }
    SampleFile.write(output, samples);
    out.printf(
        "%s: %d CERT samples for %d problems (batches answered by sketcher %d, generator %d, sketcher fall-back"
            + " %d)%n",
        name, samples.size(), problems.size(), sources[0], sources[1], sources[2]);
    out.flush();
    return output;
  }
}
