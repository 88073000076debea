package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.DefaultJob;
import dev.text2code.runs.RunLayout;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The embedded default job ({@link DefaultJob}) in a run directory, printed. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "The default end-to-end job: corpus -> BPE tokenizer -> tiny model -> generate -> sandboxed evaluation.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  @Mixin RunDirectoryOption runDirectory;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    RunLayout layout = runDirectory.layout(config);
    DefaultJob.Result result =
        DefaultJob.run(
            root.runComponents(), config, root.backend(config), layout, SdkCli.listener(spec, 25));
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.printf("pass@1 = %.4f on %d problems%n", result.passAt1(), result.problems().size());
    out.println("loss curve: " + layout.lossLog() + " and " + layout.lossPlot());
    out.println("report:     " + layout.root().resolve("report.html"));
    out.flush();
    return 0;
  }
}
