package dev.text2code.runs;

import java.nio.file.Path;

/**
 * Where a run keeps its files. Every file is written atomically; a run directory can be resumed.
 */
public record RunLayout(Path root) {
  /** The merged configuration the run was started with (HOCON). */
  public Path config() {
    return root.resolve("run.conf");
  }

  /** A tokenizer.json the run trained or copied (file-based tokenizers). */
  public Path tokenizerFile() {
    return root.resolve("tokenizer.json");
  }

  /** The router with its new tokens (RouterFiles format). */
  public Path routerFile() {
    return root.resolve("router.json");
  }

  public Path corpus() {
    return root.resolve("corpus.jsonl");
  }

  public Path preparedTrain() {
    return root.resolve("prepared").resolve("train");
  }

  public Path preparedHeldOut() {
    return root.resolve("prepared").resolve("held-out");
  }

  public Path checkpoint() {
    return root.resolve("checkpoint");
  }

  public Path lossLog() {
    return root.resolve("loss.csv");
  }

  public Path lossPlot() {
    return root.resolve("loss.svg");
  }

  public Path samples() {
    return root.resolve("samples.jsonl");
  }
}
