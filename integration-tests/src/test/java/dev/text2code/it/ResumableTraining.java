package dev.text2code.it;

import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Backend;
import dev.text2code.api.backend.Device;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.backend.TrainingConfig;
import dev.text2code.api.training.TrainingListener;
import dev.text2code.api.training.TrainingLoop;
import dev.text2code.backend.pytorch.PyTorchBackend;
import dev.text2code.backend.tensorflow.TensorFlowBackend;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small training run, the same in this JVM and in a child process ({@link #main}), so that a run
 * killed with SIGKILL and resumed can be compared with one that was never interrupted.
 */
final class ResumableTraining {
  static final long STEPS = 12;
  static final long CHECKPOINT_INTERVAL = 3;

  /** Trains in {@code directory} to {@link #STEPS}, resuming if a checkpoint is there. */
  static TrainingLoop.Summary run(Path directory, String backendName) throws Exception {
    Files.createDirectories(directory);
    Tokenizer tokenizer = Fixtures.tokenizer(directory);
    ModalityRouter router = Fixtures.partialRouter(tokenizer);
    ModelSpec spec = new ModelSpec(2, 2, 16, 32, router.embeddingRows(), Separation.PARTIAL, 0.1);
    TrainingConfig config =
        new TrainingConfig(
            5, 4, 2, STEPS, 3e-3, 3e-4, 2, 0.01, 0.9, 0.95, 1e-8, 1.0, 4, Device.CPU);
    Backend backend =
        backendName.equals("tensorflow") ? new TensorFlowBackend() : new PyTorchBackend();
    TrainingLoop loop =
        new TrainingLoop(
            backend,
            spec,
            config,
            router,
            step -> Fixtures.packedBatch(router, 4, 100 + step),
            Fixtures.packedBatch(router, 4, 99),
            new TrainingLoop.Options(
                directory.resolve("checkpoint"),
                CHECKPOINT_INTERVAL,
                directory.resolve("loss.csv")),
            new TrainingListener() {});
    return loop.run();
  }

  /** Child-process entry: {@code ResumableTraining DIR BACKEND}. */
  public static void main(String[] args) throws Exception {
    run(Path.of(args[0]), args[1]);
  }

  private ResumableTraining() {}
}
