package dev.text2code.evaluation.cert;

import dev.text2code.api.Modality;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.backend.Completion;
import dev.text2code.api.backend.GenerationConfig;
import dev.text2code.api.backend.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A {@link TextSampler} over a backend {@link Generator}: the prompt is encoded as code, preceded
 * by the tokenizer's begin token (its end-of-text token when it has no begin token, as CERT does),
 * and sampled with top-k disabled.
 */
public final class GeneratorSampler implements TextSampler {
  private final Generator generator;
  private final Tokenizer tokenizer;
  private final int maxNewTokens;
  private final double topP;
  private final OptionalInt beginToken;

  public GeneratorSampler(Generator generator, Tokenizer tokenizer, int maxNewTokens, double topP) {
    this.generator = generator;
    this.tokenizer = tokenizer;
    this.maxNewTokens = maxNewTokens;
    this.topP = topP;
    this.beginToken = beginToken(tokenizer);
  }

  static OptionalInt beginToken(Tokenizer tokenizer) {
    for (String name : List.of("<|beginoftext|>", "<s>", "<|endoftext|>", "<eot>", "<eod>")) {
      Integer id = tokenizer.specialTokens().get(name);
      if (id != null) return OptionalInt.of(id);
    }
    return OptionalInt.empty();
  }

  @Override
  public List<String> sample(String prompt, int n, double temperature, long seed) {
    TokenIds encoded = tokenizer.encode(prompt);
    TokenIds ids =
        beginToken.isPresent() ? TokenIds.of(beginToken.getAsInt()).concat(encoded) : encoded;
    TokenSequence sequence = TokenSequence.uniform(ids.toArray(), Modality.CODE);
    GenerationConfig config =
        new GenerationConfig(maxNewTokens, true, temperature, 0, topP, n, List.of(), seed, true);
    List<String> texts = new ArrayList<>(n);
    for (Completion c : generator.generate(List.of(sequence), config, tokenizer).get(0))
      texts.add(c.text());
    return texts;
  }
}
