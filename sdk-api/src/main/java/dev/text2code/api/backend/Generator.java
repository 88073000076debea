package dev.text2code.api.backend;

import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import java.util.List;

/**
 * Generates continuations from a trained checkpoint. Not thread-safe; close to release native
 * memory.
 */
public interface Generator extends AutoCloseable {
  ModelSpec spec();

  /**
   * Continues each prompt {@code config.samplesPerPrompt()} times.
   *
   * @param prompts tokenizer ids with modalities (routed by the generator through the checkpoint's
   *     router)
   * @param tokenizer decodes the continuation for stop sequences; its end tokens (for example
   *     {@code <eot>}) end a sample
   * @return one list of completions per prompt, in prompt order
   */
  List<List<Completion>> generate(
      List<TokenSequence> prompts, GenerationConfig config, Tokenizer tokenizer);

  /**
   * Logits {@code [sequence][position][embedding row]} of full sequences of routed embedding rows
   * (all of one length) at {@code positions}: a parity and debugging tool ({@code sdk-cli logits}).
   */
  default float[][][] logits(int[][] rows, int[] positions) {
    throw new dev.text2code.api.UnsupportedCapabilityException(
        getClass().getSimpleName() + " cannot compute logits at positions");
  }

  @Override
  void close();
}
