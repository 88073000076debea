package dev.text2code.backend.onnx;

import dev.text2code.api.MappedRouter;
import dev.text2code.api.Separation;
import dev.text2code.api.backend.CharTokenizer;
import dev.text2code.api.backend.ModelSpec;
import dev.text2code.api.checkpoint.Checkpoint;
import dev.text2code.api.checkpoint.ParameterLayout;
import dev.text2code.api.checkpoint.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Checkpoints with random but well-spread weights (biases and LayerNorm parameters included), so
 * that every parameter influences the logits and greedy choices are not near-ties.
 */
final class TestModels {
  private TestModels() {}

  /** The small alphabet, then {@code <eot>}. */
  static final CharTokenizer TOKENIZER =
      CharTokenizer.charactersThenSpecials(CharTokenizer.SMALL_ALPHABET, List.of("<eot>"));

  /** Vocabulary of {@link #TOKENIZER}. */
  static final int VOCABULARY = TOKENIZER.vocabularySize();

  /** Partial separation: the first 8 characters get code-side replicas after the vocabulary. */
  static MappedRouter partialRouter() {
    Map<Integer, Integer> replicated = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) replicated.put(i, VOCABULARY + i);
    return new MappedRouter(Separation.PARTIAL, VOCABULARY, VOCABULARY + 8, replicated);
  }

  static MappedRouter noneRouter() {
    return new MappedRouter(Separation.NONE, VOCABULARY, VOCABULARY, Map.of());
  }

  static ModelSpec spec(MappedRouter router, int layers, int heads, int width, int context) {
    return new ModelSpec(
        layers, heads, width, context, router.embeddingRows(), router.separation(), 0.0);
  }

  static Checkpoint checkpoint(ModelSpec spec, MappedRouter router, long seed) {
    Map<String, Tensor> weights = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (ParameterLayout.Parameter p : ParameterLayout.parameters(spec)) {
      float[] data = new float[p.size()];
      boolean gain =
          p.name().endsWith("ln_1.weight")
              || p.name().endsWith("ln_2.weight")
              || p.name().equals("ln_f.weight");
      double std =
          p.name().endsWith(".bias") ? 0.1 : gain ? 0.2 : p.name().startsWith("w") ? 1.0 : 0.35;
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((gain ? 1.0 : 0.0) + std * random.nextGaussian());
      }
      weights.put(p.name(), new Tensor(p.name(), p.shape(), data));
    }
    return new Checkpoint(spec, router, weights, Map.of(), Optional.empty(), 0, Map.of(), Map.of());
  }

  static Path write(Checkpoint checkpoint, Path directory) {
    checkpoint.write(directory);
    return directory;
  }
}
