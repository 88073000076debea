package dev.text2code.cli;

import dev.text2code.cli.config.SdkConfig;
import dev.text2code.runs.ablation.Ablation;
import dev.text2code.runs.ablation.CellResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The ablation grid ({@link Ablation}), printed. */
@Command(
    name = "ablate",
    description =
        "Train one base under every objective x separation cell (ablate.objectives x"
            + " ablate.separations; same data, steps and seed), evaluate each (held-out code-token"
            + " loss, pass@k, incremental pass@k) and write ablation.html + ablation.json; run"
            + " again to resume cell by cell.")
final class AblateCommand extends SdkCommand {
  @Option(
      names = "--init",
      paramLabel = "SOURCE",
      description = "Weights every cell starts from (sets training.init in each cell).")
  String init;

  @Option(
      names = "--corpus",
      paramLabel = "PAIRS",
      description = "Corpus file or directory (overrides data.corpus).")
  Path corpus;

  @Option(
      names = "--run",
      paramLabel = "DIR",
      description = "Ablation directory (overrides ablate.directory).")
  Path run;

  @Override
  public Integer call() {
    SdkConfig config = root.config();
    if (init != null) config = config.with("training.init", init);
    Path dir = run != null ? run : Path.of(config.string("ablate.directory"));
    Ablation.Result result =
        Ablation.run(
            root.runComponents(),
            config,
            root.backend(config),
            dir,
            Optional.ofNullable(corpus),
            listener(25));
    PrintWriter out = out();
    out.println();
    out.printf(
        Locale.ROOT,
        "%-28s %18s %10s %12s%n",
        "cell",
        "held-out code loss",
        "pass@1",
        "incr. macro@1");
    for (CellResult c : result.cells()) {
      out.printf(
          Locale.ROOT,
          "%-28s %18.4f %10.4f %12.4f%s%n",
          c.cell(),
          c.heldOutCodeLoss(),
          c.passAt1(),
          c.incrementalMacro().getOrDefault(1, 0.0),
          c.cell().equals(result.best().cell()) ? "  * best" : "");
    }
    out.println("report: " + result.html() + " and " + result.json());
    out.flush();
    return 0;
  }
}
