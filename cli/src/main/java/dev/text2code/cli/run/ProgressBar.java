package dev.text2code.cli.run;

import dev.text2code.api.backend.StepResult;
import dev.text2code.api.training.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training progress on a terminal: a bar with the step, loss, held-out loss, tokens/s and ETA,
 * redrawn in place when attached to a console, or one line every {@code every} steps in logs.
 */
public final class ProgressBar implements TrainingListener {
  private final PrintWriter out;
  private final boolean interactive;
  private final long every;
  private long start;
  private long began;
  private double lastEval = Double.NaN;

  public ProgressBar(PrintWriter out, boolean interactive, long every) {
    this.out = out;
    this.interactive = interactive;
    this.every = Math.max(1, every);
  }

  @Override
  public void started(long fromStep, long maxSteps, boolean resumed) {
    start = fromStep;
    began = System.nanoTime();
    out.printf(
        Locale.ROOT,
        "%s training at step %d of %d%n",
        resumed ? "resuming" : "starting",
        fromStep,
        maxSteps);
    out.flush();
  }

  @Override
  public void stepped(StepResult r, double tokensPerSecond, long maxSteps) {
    if (!interactive && r.step() % every != 0 && r.step() != maxSteps) return;
    double elapsed = (System.nanoTime() - began) / 1e9;
    long done = r.step() - start;
    double eta = done > 0 ? elapsed / done * (maxSteps - r.step()) : 0;
    int width = 24;
    int filled = (int) Math.round(width * (double) r.step() / maxSteps);
    String bar = "#".repeat(filled) + ".".repeat(width - filled);
    String line =
        String.format(
            Locale.ROOT,
            "[%s] step %d/%d  loss %.4f  held-out %s  %.0f tok/s  ETA %s",
            bar,
            r.step(),
            maxSteps,
            r.loss(),
            Double.isNaN(lastEval) ? "-" : String.format(Locale.ROOT, "%.4f", lastEval),
            tokensPerSecond,
            clock(eta));
    if (interactive) {
      out.print("\r" + line);
      if (r.step() == maxSteps) out.println();
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public void evaluated(long step, double heldOutLoss) {
    lastEval = heldOutLoss;
  }

  @Override
  public void checkpointed(long step, Path directory) {
    if (!interactive) {
      out.printf(Locale.ROOT, "checkpoint at step %d: %s%n", step, directory);
      out.flush();
    }
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
