package dev.text2code.cli;

import dev.text2code.api.TextCodePair;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.cli.run.ProgressBar;
import dev.text2code.cli.run.RunLayout;
import dev.text2code.cli.run.TrainingRun;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Trains a model in a run directory; running it again resumes. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a model: corpus -> pair layout -> router -> objective -> packed shards -> backend. Writes the"
            + " checkpoint, loss.csv and loss.svg into the run directory; run again to resume.")
final class TrainCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  @Mixin RunDirectoryOption runDirectory;

  @Mixin CorpusOption corpus;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    PrintWriter out = spec.commandLine().getOut();
    // a missing GPU or an unsupported precision fails here, before the corpus is read
    root.components()
        .backends()
        .select(config.backend())
        .checkTraining(dev.text2code.cli.run.RunTraining.trainingConfig(config));
    List<TextCodePair> pairs = corpus.read(config, layout, out);
    TrainingRun.Result result =
        new TrainingRun(root.components(), config, layout, out)
            .run(pairs, new ProgressBar(out, System.console() != null, 10));
    out.printf(
        "done: %d steps, last training loss %.4f, held-out loss %.4f%n",
        result.summary().steps(),
        result.summary().lastTrainLoss(),
        result.summary().lastEvalLoss());
    out.println("checkpoint: " + layout.checkpoint());
    out.println("loss log:   " + layout.lossLog() + " (plot: " + layout.lossPlot() + ")");
    out.flush();
    return 0;
  }
}
