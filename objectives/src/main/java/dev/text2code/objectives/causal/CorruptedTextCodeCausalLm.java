package dev.text2code.objectives.causal;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import dev.text2code.objectives.ObjectiveSettings;
import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * {@code corrupt-code-clm}: token-level MLM noise on the text in the input, loss on the code only
 * (labels as in {@link CodeOnlyCausalLm}, always the original ids).
 *
 * <p>Candidates are text tokens that are not special tokens; each is picked with {@code
 * pick-probability}. A picked token becomes {@code <mask>} with {@code mask-probability}; what
 * happens to the rest depends on the variant. {@link Variant#PAPER} is what the paper's collator
 * actually does: every other picked token becomes a uniformly random id in {@code [0, vocabulary)}
 * (its comment says 10% stay unchanged, but the code replaces all of them). {@link Variant#BERT} is
 * the textbook 80/10/10: half of the rest random, half unchanged.
 */
public final class CorruptedTextCodeCausalLm implements Objective {
  public static final String NAME = "corrupt-code-clm";

  /** What happens to picked tokens that do not become {@code <mask>}. */
  public enum Variant {
    PAPER,
    BERT
  }

  private final double pickProbability;
  private final double maskProbability;
  private final Variant variant;
  private final int maskId;
  private final int vocabularySize;
  private final BitSet specialIds;

  public CorruptedTextCodeCausalLm(
      double pickProbability,
      double maskProbability,
      Variant variant,
      int maskId,
      int vocabularySize,
      BitSet specialIds) {
    this.pickProbability = pickProbability;
    this.maskProbability = maskProbability;
    this.variant = variant;
    this.maskId = maskId;
    this.vocabularySize = vocabularySize;
    this.specialIds = (BitSet) specialIds.clone();
  }

  /**
   * Reads {@code objectives.corrupt-code-clm.}{@code pick-probability} (0.15), {@code
   * mask-probability} (0.8), {@code variant} (paper | bert, default paper), {@code mask-token}
   * ({@code <mask>}).
   */
  public static CorruptedTextCodeCausalLm create(Tokenizer tokenizer, Settings settings) {
    ObjectiveSettings s = new ObjectiveSettings(settings, NAME);
    BitSet special = new BitSet();
    tokenizer.specialTokens().values().forEach(special::set);
    return new CorruptedTextCodeCausalLm(
        s.probability("pick-probability", 0.15),
        s.probability("mask-probability", 0.8),
        s.choice("variant", Variant.PAPER, Variant.class),
        tokenizer.specialTokenId(s.string("mask-token", "<mask>")),
        tokenizer.vocabularySize(),
        special);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    int[] original = sequence.ids();
    int[] noisy = corruptText(sequence, random);
    TrainingExample clean =
        Examples.shifted(
            original,
            sequence.modalityCodes(),
            target -> CodeOnlyCausalLm.hasCodeLoss(sequence, target),
            0);
    return TrainingExample.of(
        noisy, clean.labels(), clean.targetModalities(), clean.positionIds(), clean.attention());
  }

  /** The input ids with the text noise applied; code and special tokens are never touched. */
  public int[] corruptText(TokenSequence sequence, RandomGenerator random) {
    int[] ids = sequence.ids();
    for (int i = 0; i < ids.length; i++) {
      if (sequence.isCode(i) || specialIds.get(ids[i])) continue;
      if (random.nextDouble() >= pickProbability) continue;
      if (random.nextDouble() < maskProbability) {
        ids[i] = maskId;
      } else if (variant == Variant.PAPER || random.nextBoolean()) {
        ids[i] = random.nextInt(vocabularySize);
      }
    }
    return ids;
  }
}
