package dev.text2code.cli.run;

import dev.text2code.api.backend.StepResult;
import dev.text2code.runs.RunListener;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Prints what a run reports: its stage lines on standard output, warnings on standard error, and
 * training progress through a {@link ProgressBar}.
 */
public final class ConsoleListener implements RunListener {
  private final PrintWriter out;
  private final PrintWriter err;
  private final ProgressBar progress;

  /**
   * @param every in logs (no console), print a progress line every this many steps
   */
  public ConsoleListener(PrintWriter out, PrintWriter err, long every) {
    this.out = out;
    this.err = err;
    this.progress = new ProgressBar(out, System.console() != null, every);
  }

  @Override
  public void report(String line) {
    out.println(line);
    out.flush();
  }

  @Override
  public void warn(String line) {
    err.println("WARNING: " + line);
    err.flush();
  }

  @Override
  public void started(long fromStep, long maxSteps, boolean resumed) {
    progress.started(fromStep, maxSteps, resumed);
  }

  @Override
  public void stepped(StepResult result, double tokensPerSecond, long maxSteps) {
    progress.stepped(result, tokensPerSecond, maxSteps);
  }

  @Override
  public void evaluated(long step, double heldOutLoss) {
    progress.evaluated(step, heldOutLoss);
  }

  @Override
  public void checkpointed(long step, Path directory) {
    progress.checkpointed(step, directory);
  }
}
