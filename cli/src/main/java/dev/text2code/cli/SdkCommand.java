package dev.text2code.cli;

import dev.text2code.cli.run.ConsoleListener;
import dev.text2code.runs.RunListener;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code sdk-cli} subcommand shares: the standard help options, the root command (its
 * configuration, components and backend) and the command's own output.
 */
@Command(mixinStandardHelpOptions = true)
abstract class SdkCommand implements Callable<Integer> {
  @ParentCommand SdkCli root;
  @Spec CommandSpec spec;

  /** The command's standard output. */
  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints the command's run reports; in logs, a progress line every {@code every} steps. */
  final RunListener listener(long every) {
    return new ConsoleListener(out(), spec.commandLine().getErr(), every);
  }

  /** Prints {@code lines} to standard output, flushes it and returns exit code 0. */
  final int print(Iterable<String> lines) {
    PrintWriter out = out();
    for (String line : lines) out.println(line);
    out.flush();
    return 0;
  }
}
