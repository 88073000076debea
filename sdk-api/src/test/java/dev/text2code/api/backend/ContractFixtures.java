package dev.text2code.api.backend;

import dev.text2code.api.IdentityRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.objective.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny models and fixed batches shared by the backend contract tests. */
public final class ContractFixtures {
  private ContractFixtures() {}

  public static final int VOCABULARY = 48;

  public static ModelSpec tinySpec(int embeddingRows) {
    return new ModelSpec(2, 2, 16, 32, embeddingRows, Separation.NONE, 0.0);
  }

  public static ModalityRouter identityRouter() {
    return new IdentityRouter(VOCABULARY);
  }

  /**
   * A fixed batch of causal examples over a repeating pattern a tiny model can learn: token i+1
   * follows token i (mod a small cycle), the first half of each row is text (no loss), the second
   * half is code.
   */
  public static List<TrainingExample> patternBatch(int rows, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<TrainingExample> batch = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      int start = random.nextInt(VOCABULARY);
      int[] sequence = new int[length + 1];
      for (int i = 0; i <= length; i++) sequence[i] = (start + i * 3) % VOCABULARY;
      int[] inputs = new int[length];
      int[] labels = new int[length];
      byte[] modalities = new byte[length];
      for (int i = 0; i < length; i++) {
        inputs[i] = sequence[i];
        boolean code = i >= length / 2;
        labels[i] = code ? sequence[i + 1] : TrainingExample.IGNORE;
        modalities[i] = (byte) (code ? 1 : 0);
      }
      batch.add(TrainingExample.causal(inputs, labels, modalities));
    }
    return batch;
  }
}
