package dev.text2code.runs;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.MappedRouter;
import dev.text2code.api.ModalityRouter;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Grows a pretrained checkpoint to a router's embedding rows, the way the paper separates the
 * embeddings of a pretrained model (METHODS.md §1.3): the original rows are kept, ids the
 * checkpoint lacks (tokens the run's tokenizer added, list entries new to the vocabulary) get fresh
 * normal(0, 0.02) rows, and every replica row then starts as a copy of its original (a brand-new
 * pair copies the new row, as the paper's {@code resize_token_embeddings} does). An untied head
 * (and its bias) grows the same way; a tied head grows with the embedding. Before any step the
 * grown model's logits over the original rows therefore equal the original model's, at text and
 * code positions alike.
 */
public final class SeparationGrowth {
  private SeparationGrowth() {}

  /**
   * The checkpoint with {@code router}'s rows, at step 0, without optimizer state.
   *
   * @param seed seeds the rows of ids the checkpoint lacks
   * @throws ConfigurationException where the checkpoint cannot take the router: the router's
   *     vocabulary is smaller than the checkpoint's rows, or the checkpoint is itself separated
   *     differently
   */
  public static Checkpoint grow(Checkpoint base, ModalityRouter router, long seed) {
    int rows = base.spec().embeddingRows();
    MappedRouter target = MappedRouter.copyOf(router);
    if (!base.router().replicatedRows().isEmpty()) {
      if (base.router().replicatedRows().equals(target.replicatedRows())
          && rows == target.embeddingRows()) {
        return atStepZero(base, base.spec(), base.weights(), target);
      }
      throw new ConfigurationException(
          "the "
              + InitSource.KEY
              + " checkpoint is already separated ("
              + base.router().separation().configName()
              + ", "
              + rows
              + " rows) and the run's router differs; continue it with separation = "
              + base.router().separation().configName()
              + " and the same tokenizer, or start from an unseparated model");
    }
    if (target.vocabularySize() < rows) {
      throw new ConfigurationException(
          "the "
              + InitSource.KEY
              + " checkpoint has "
              + rows
              + " embedding rows but the run's tokenizer only "
              + target.vocabularySize()
              + " ids; replicas would overwrite rows of the model: use the model's own tokenizer");
    }
    ModelSpec spec =
        new ModelSpec(
            base.spec().layers(),
            base.spec().heads(),
            base.spec().width(),
            base.spec().contextLength(),
            target.embeddingRows(),
            target.separation(),
            base.spec().dropout(),
            base.spec().architecture());
    Map<String, Tensor> weights = new LinkedHashMap<>(base.weights());
    int width = base.spec().width();
    for (String name : new String[] {"wte", "lm_head.weight"}) {
      Tensor t = base.weights().get(name);
      if (t != null) weights.put(name, growRows(t, rows, width, target, seed));
    }
    Tensor bias = base.weights().get("lm_head.bias");
    if (bias != null) weights.put("lm_head.bias", growRows(bias, rows, 1, target, Long.MIN_VALUE));
    return atStepZero(base, spec, weights, target);
  }

  private static Tensor growRows(Tensor t, int rows, int width, MappedRouter router, long seed) {
    float[] old = t.data();
    float[] grown = new float[router.embeddingRows() * width];
    System.arraycopy(old, 0, grown, 0, rows * width);
    if (seed != Long.MIN_VALUE) {
      SplittableRandom random = new SplittableRandom(seed ^ (t.name().hashCode() * 31L + rows));
      for (int i = rows * width; i < grown.length; i++) {
        grown[i] = (float) (0.02 * gaussian(random));
      }
    }
    for (Map.Entry<Integer, Integer> e :
        new java.util.TreeMap<>(router.replicatedRows()).entrySet()) {
      System.arraycopy(grown, e.getKey() * width, grown, e.getValue() * width, width);
    }
    long[] shape = t.shape().clone();
    shape[0] = router.embeddingRows();
    return new Tensor(t.name(), shape, grown);
  }

  private static double gaussian(SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static Checkpoint atStepZero(
      Checkpoint base, ModelSpec spec, Map<String, Tensor> weights, MappedRouter router) {
    return new Checkpoint(
        spec, router, weights, Map.of(), Optional.empty(), 0, base.state(), base.provenance());
  }
}
