package dev.text2code.cli;

import dev.text2code.api.TextCodePair;
import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.RunLayout;
import dev.text2code.runs.RunListener;
import dev.text2code.runs.RunTraining;
import dev.text2code.runs.TrainingRun;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a model in a run directory; running it again resumes. */
@Command(
    name = "train",
    description =
        "Train a model: corpus -> pair layout -> router -> objective -> packed shards -> backend. Writes the"
            + " checkpoint, loss.csv and loss.svg into the run directory; run again to resume.")
final class TrainCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Mixin CorpusOption corpus;

  @Option(
      names = "--init",
      paramLabel = "SOURCE",
      description =
          "Continued pre-training: start at step 0 from these weights with a fresh optimizer (a"
              + " checkpoint directory, an imported or trained run, or a Hugging Face model"
              + " directory); sets training.init. Its tokenizer becomes the run's. A run that"
              + " already has a checkpoint resumes it instead, and --init there is an error.")
  String init;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    if (init != null) config = config.with("training.init", init);
    RunLayout layout = runDirectory.layout(config);
    PrintWriter out = out();
    // a missing GPU or an unsupported precision fails here, before the corpus is read
    root.backend(config).checkTraining(RunTraining.trainingConfig(config));
    RunListener listener = listener(10);
    List<TextCodePair> pairs = corpus.read(config, layout, listener);
    TrainingRun.Result result =
        new TrainingRun(root.runComponents(), config, layout, listener)
            .run(pairs, root.backend(config));
    out.printf(
        "done: %d steps, last training loss %.4f, %s%n",
        result.summary().steps(), result.summary().lastTrainLoss(), result.heldOut(config));
    out.println("checkpoint: " + layout.checkpoint());
    out.println("loss log:   " + layout.lossLog() + " (plot: " + layout.lossPlot() + ")");
    out.flush();
    return 0;
  }
}
