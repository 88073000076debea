package dev.text2code.api.backend;

import static dev.text2code.api.ConfigurationException.require;

import java.util.List;
import java.util.Objects;

/**
 * Decoding settings.
 *
 * @param maxNewTokens tokens to generate at most per sample
 * @param sample false: greedy (argmax); true: sample with temperature, top-k and top-p
 * @param temperature softmax temperature when sampling (> 0)
 * @param topK keep the k most likely rows; 0 disables
 * @param topP keep the smallest set with cumulative probability >= p; 1 disables
 * @param samplesPerPrompt completions per prompt
 * @param stopSequences generation of a sample stops once its decoded text contains one; the text is
 *     cut before it
 * @param seed seeds sampling
 * @param codeVocabularyOnly restrict generated rows to the router's code vocabulary (the paper's
 *     setting)
 * @param prefixAttention attend bidirectionally inside each prompt's prefix (positions {@code
 *     0..prefixIndex} of the {@link dev.text2code.api.TokenSequence}), as a prefix-LM is trained
 *     (prefix-code-clm, prefix-lm); generated tokens stay causal. False: causal everywhere, as a
 *     causal LM is trained. A prompt without a prefix is causal either way.
 */
public record GenerationConfig(
    int maxNewTokens,
    boolean sample,
    double temperature,
    int topK,
    double topP,
    int samplesPerPrompt,
    List<String> stopSequences,
    long seed,
    boolean codeVocabularyOnly,
    boolean prefixAttention) {
  public GenerationConfig {
    require(maxNewTokens > 0, "generation.max-new-tokens", maxNewTokens, "a positive integer");
    require(
        temperature > 0 && Double.isFinite(temperature),
        "generation.temperature",
        temperature,
        "> 0");
    require(topK >= 0, "generation.top-k", topK, ">= 0 (0 disables)");
    require(topP > 0 && topP <= 1, "generation.top-p", topP, "a value in (0, 1]");
    require(samplesPerPrompt > 0, "generation.samples", samplesPerPrompt, "a positive integer");
    require(
        sample || samplesPerPrompt == 1,
        "generation.samples",
        samplesPerPrompt,
        "1 when decoding greedily");
    stopSequences = List.copyOf(Objects.requireNonNull(stopSequences, "stopSequences"));
    for (String s : stopSequences)
      require(!s.isEmpty(), "generation.stop", "\"\"", "non-empty strings");
  }

  /** Causal attention over the prompt (the setting for causally trained models). */
  public GenerationConfig(
      int maxNewTokens,
      boolean sample,
      double temperature,
      int topK,
      double topP,
      int samplesPerPrompt,
      List<String> stopSequences,
      long seed,
      boolean codeVocabularyOnly) {
    this(
        maxNewTokens,
        sample,
        temperature,
        topK,
        topP,
        samplesPerPrompt,
        stopSequences,
        seed,
        codeVocabularyOnly,
        false);
  }

  /** The same settings with the prompt's prefix attended bidirectionally, or not. */
  public GenerationConfig withPrefixAttention(boolean prefix) {
    return new GenerationConfig(
        maxNewTokens,
        sample,
        temperature,
        topK,
        topP,
        samplesPerPrompt,
        stopSequences,
        seed,
        codeVocabularyOnly,
        prefix);
  }

  /** The same settings with other stop sequences. */
  public GenerationConfig withStopSequences(List<String> stops) {
    return new GenerationConfig(
        maxNewTokens,
        sample,
        temperature,
        topK,
        topP,
        samplesPerPrompt,
        stops,
        seed,
        codeVocabularyOnly,
        prefixAttention);
  }

  public static GenerationConfig greedy(int maxNewTokens, List<String> stopSequences) {
    return new GenerationConfig(maxNewTokens, false, 1.0, 0, 1.0, 1, stopSequences, 0, true);
  }

  /** The paper's sampling setting: T = 0.95, top-p 0.8, top-k 0. */
  public static GenerationConfig paperSampling(
      int maxNewTokens, int samples, long seed, List<String> stops) {
    return new GenerationConfig(maxNewTokens, true, 0.95, 0, 0.8, samples, stops, seed, true);
  }
}
