package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.DefaultJob;
import dev.text2code.runs.RunLayout;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The embedded default job ({@link DefaultJob}) in a run directory, printed. */
@Command(
    name = "run",
    description =
        "The default end-to-end job: corpus -> BPE tokenizer -> tiny model -> generate -> sandboxed evaluation.")
final class RunCommand extends SdkCommand {
  @Mixin RunDirectoryOption runDirectory;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    DefaultJob.Result result =
        DefaultJob.run(root.runComponents(), config, root.backend(config), layout, listener(25));
    PrintWriter out = out();
    out.println();
    out.printf("pass@1 = %.4f on %d problems%n", result.passAt1(), result.problems().size());
    out.println("loss curve: " + layout.lossLog() + " and " + layout.lossPlot());
    out.println("report:     " + layout.root().resolve("report.html"));
    out.flush();
    return 0;
  }
}
