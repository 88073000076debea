package dev.text2code.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.AttentionSpec;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.ObjectiveFactory;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.causal.CodeOnlyCausalLm;
import dev.text2code.objectives.causal.CorruptedTextCodeCausalLm;
import dev.text2code.objectives.mixture.MixtureFactory;
import dev.text2code.objectives.mixture.ObjectiveMixture;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Properties every objective must have, and each objective's own labelling rule. */
class ObjectiveProperties {
  private static final CharacterTokenizer TOKENIZER = Sequences.TOKENIZER;
  private static final Map<String, ObjectiveFactory> FACTORIES =
      ObjectivesModule.baseFactories().stream()
          .collect(Collectors.toMap(ObjectiveFactory::name, Function.identity()));

  private static Objective objective(String name) {
    return objective(name, Settings.empty());
  }

  private static Objective objective(String name, Settings settings) {
    if (name.equals("mixture")) {
      return new MixtureFactory(() -> FACTORIES).create(TOKENIZER, settings);
    }
    return FACTORIES.get(name).create(TOKENIZER, settings);
  }

  private static final List<String> TOKEN_OBJECTIVES =
      List.of(
          "clm",
          "code-clm",
          "corrupt-code-clm",
          "prefix-code-clm",
          "span-corruption",
          "span-corruption-decoder",
          "fim",
          "codegen2-infill",
          "prefix-lm",
          "mixture");

  @Test
  void neverMutatesItsInputAndIsDeterministic() {
    for (String name : TOKEN_OBJECTIVES) {
      Objective objective = objective(name);
      qt().withExamples(150)
          .forAll(Sequences.pairs(), longs().all())
          .checkAssert(
              (sequence, seed) -> {
                TokenSequence copy =
                    TokenSequence.of(
                        sequence.ids(), sequence.modalityCodes(), sequence.prefixIndex());
                TrainingExample first = objective.apply(sequence, new SplittableRandom(seed));
                TrainingExample second = objective.apply(sequence, new SplittableRandom(seed));
                assertEquals(copy, sequence, name + " mutated its input");
                assertEquals(first, second, name + " is not deterministic");
                for (int i = 0; i < first.length(); i++) {
                  assertTrue(first.inputId(i) < TOKENIZER.vocabularySize(), name + " id range");
                  if (first.label(i) != TrainingExample.IGNORE) {
                    assertEquals(
                        first.inputId(i + 1), first.label(i), name + ": labels are the next input");
                  }
                }
              });
    }
  }

  @Test
  void codeClmLabelsExactlyTheCodeTargets() {
    Objective objective = objective("code-clm");
    qt().forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              TrainingExample e = objective.apply(s, new SplittableRandom(seed));
              assertArrayEquals(s.ids(), e.inputIds());
              for (int i = 0; i < e.length(); i++) {
                boolean code = i + 1 < s.length() && CodeOnlyCausalLm.hasCodeLoss(s, i + 1);
                assertEquals(code, e.label(i) != TrainingExample.IGNORE, "position " + i);
                if (code) assertEquals(1, e.targetModalities()[i]);
                if (code) assertTrue(i >= s.prefixIndex(), "no loss before <python>");
              }
              assertEquals(AttentionSpec.causal(s.length()), e.attention());
            });
  }

  @Test
  void clmLabelsEveryNextToken() {
    Objective objective = objective("clm");
    qt().forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              TrainingExample e = objective.apply(s, new SplittableRandom(seed));
              assertEquals(s.length() - 1, e.labelledCount());
              for (int i = 0; i + 1 < s.length(); i++) {
                assertEquals(s.modalityCodes()[i + 1], e.targetModalities()[i]);
              }
            });
  }

  @Test
  void corruptCodeClmNoisesOnlyTheTextAndPredictsTheOriginalCode() {
    Objective objective =
        objective(
            "corrupt-code-clm",
            Settings.of(Map.of("objectives.corrupt-code-clm.pick-probability", "0.5")));
    Objective codeClm = objective("code-clm");
    int mask = TOKENIZER.specialTokenId("<mask>");
    qt().forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              TrainingExample e = objective.apply(s, new SplittableRandom(seed));
              TrainingExample clean = codeClm.apply(s, new SplittableRandom(seed));
              assertArrayEquals(clean.labels(), e.labels());
              for (int i = 0; i < s.length(); i++) {
                if (s.isCode(i) || s.id(i) >= 256) {
                  assertEquals(s.id(i), e.inputId(i), "code and special tokens stay at " + i);
                }
              }
            });
    // On a long text the paper's noise rate shows: ~15% picked, 80% of those masked.
    int[] text = new int[20_000];
    java.util.Arrays.fill(text, 'x');
    TokenSequence longText = TokenSequence.uniform(text, dev.text2code.api.Modality.TEXT);
    int[] noisy =
        ((CorruptedTextCodeCausalLm) objective("corrupt-code-clm"))
            .corruptText(longText, new SplittableRandom(5));
    long masked = java.util.Arrays.stream(noisy).filter(id -> id == mask).count();
    long changed = java.util.Arrays.stream(noisy).filter(id -> id != 'x').count();
    assertEquals(0.15 * 0.8, masked / 20_000.0, 0.01);
    assertEquals(0.15, changed / 20_000.0, 0.01, "paper variant: every picked token changes");
  }

  @Test
  void prefixMasksSeeExactlyWhatTheyShould() {
    Objective objective = objective("prefix-code-clm");
    qt().forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              TrainingExample e = objective.apply(s, new SplittableRandom(seed));
              int p = s.prefixIndex();
              for (int q = 0; q < s.length(); q++) {
                for (int k = 0; k < s.length(); k++) {
                  boolean expected = k <= q || (q <= p && k <= p);
                  assertEquals(expected, e.attention().canAttend(q, k), q + " -> " + k);
                }
              }
            });
  }

  @Test
  void randomPrefixLmLabelsOnlyAfterItsPrefix() {
    Objective objective =
        objective("prefix-lm", Settings.of(Map.of("objectives.prefix-lm.split", "random")));
    qt().forAll(Sequences.documents(40), longs().all())
        .checkAssert(
            (s, seed) -> {
              TrainingExample e = objective.apply(s, new SplittableRandom(seed));
              int p = e.attention().prefixLength(0);
              assertTrue(p >= 1 && p < s.length(), "prefix " + p);
              for (int i = 0; i + 1 < s.length(); i++) {
                assertEquals(i + 1 >= p, e.label(i) != TrainingExample.IGNORE);
              }
              assertTrue(e.attention().canAttend(0, p - 1));
            });
  }

  @Test
  void mixtureBuildsWhatTheChosenComponentBuilds() {
    ObjectiveMixture mixture =
        (ObjectiveMixture)
            objective("mixture", Settings.of(Map.of("objectives.mixture.preset", "ul2")));
    assertEquals(7, mixture.components().size());
    int[] chosen = new int[7];
    qt().withExamples(300)
        .forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              SplittableRandom random = new SplittableRandom(seed);
              ObjectiveMixture.Component component = mixture.choose(random);
              chosen[mixture.components().indexOf(component)]++;
              TrainingExample expected =
                  component.objective().apply(prepend(s, component.modeToken().getAsInt()), random);
              assertEquals(expected, mixture.apply(s, new SplittableRandom(seed)));
            });
    for (int c : chosen)
      assertTrue(c > 0, "every denoiser is drawn: " + java.util.Arrays.toString(chosen));
  }

  private static TokenSequence prepend(TokenSequence s, int id) {
    int[] ids = new int[s.length() + 1];
    byte[] m = new byte[s.length() + 1];
    ids[0] = id;
    System.arraycopy(s.ids(), 0, ids, 1, s.length());
    System.arraycopy(s.modalityCodes(), 0, m, 1, s.length());
    m[0] = s.modalityCodes()[0];
    return TokenSequence.of(ids, m, s.prefixIndex() + 1);
  }
}
