package dev.text2code.objectives;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.text2code.api.Modality;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.infill.CodeGen2Infill;
import dev.text2code.objectives.infill.FillInTheMiddle;
import dev.text2code.objectives.span.SpanCorruption;
import dev.text2code.objectives.span.SpanCorruptionObjective;
import dev.text2code.objectives.span.SpanCorruptionObjective.Form;
import dev.text2code.objectives.span.SpanCorruptionPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Span corruption, FIM and CodeGen2 infill give back the original when reassembled. */
class InfillAndSpanProperties {
  private static final CharacterTokenizer TOKENIZER = Sequences.TOKENIZER;
  // Far above the letters, so that even hundreds of spans keep sentinels apart from tokens.
  private static final int TOP = 100_000;

  @Test
  void spanCorruptionInterleavesBackToTheOriginal() {
    qt().withExamples(400)
        .forAll(
            Sequences.documents(200),
            doubles().between(0.05, 0.6),
            integers().between(1, 8),
            longs().all())
        .checkAssert(
            (s, density, mean, seed) -> {
              SpanCorruptionObjective objective =
                  new SpanCorruptionObjective(
                      Form.DECODER_ONLY, density, mean, TOP, OptionalInt.of(Sequences.EOT));
              SpanCorruptionPair pair = objective.corrupt(s, new SplittableRandom(seed));
              int[] inputs = pair.inputs().ids();
              int[] targets = pair.targets().ids();
              assertEquals(Sequences.EOT, inputs[inputs.length - 1]);
              assertEquals(Sequences.EOT, targets[targets.length - 1]);
              // Sentinels are ids above the letters: unique and descending from the top.
              List<Integer> inputSentinels = new ArrayList<>();
              for (int i = 0; i < inputs.length - 1; i++)
                if (inputs[i] > 255) inputSentinels.add(inputs[i]);
              for (int k = 0; k < inputSentinels.size(); k++) {
                assertEquals(TOP - k, inputSentinels.get(k));
              }
              Map<Integer, List<Integer>> hidden = new HashMap<>();
              int current = -1;
              int noise = 0;
              for (int i = 0; i < targets.length - 1; i++) {
                if (targets[i] > 255) {
                  current = targets[i];
                  hidden.put(current, new ArrayList<>());
                } else {
                  hidden.get(current).add(targets[i]);
                  noise++;
                }
              }
              List<Integer> rebuilt = new ArrayList<>();
              for (int i = 0; i < inputs.length - 1; i++) {
                if (inputs[i] > 255) rebuilt.addAll(hidden.get(inputs[i]));
                else rebuilt.add(inputs[i]);
              }
              assertArrayEquals(s.ids(), rebuilt.stream().mapToInt(Integer::intValue).toArray());
              int length = s.length();
              assertEquals(SpanCorruption.noiseTokens(length, density), noise, "T5 noise count");
              int spans = Math.min(SpanCorruption.noiseSpans(noise, mean), length - noise);
              assertEquals(spans, inputSentinels.size(), "T5 span count");
              assertTrue(inputs[0] <= 255, "starts with non-noise");
              assertTrue(inputs[inputs.length - 2] > 255, "ends with noise");
            });
  }

  @Test
  void theSpanBySpanFastPathEqualsT5sMaskAndSentinelFunctions() {
    qt().withExamples(300)
        .forAll(Sequences.documents(300), doubles().between(0.0, 0.8), longs().all())
        .checkAssert(
            (s, density, seed) -> {
              SpanCorruptionObjective objective =
                  new SpanCorruptionObjective(
                      Form.ENCODER_DECODER, density, 3.0, TOP, OptionalInt.of(Sequences.EOT));
              SpanCorruptionPair pair = objective.corrupt(s, new SplittableRandom(seed));
              boolean[] mask =
                  SpanCorruption.randomSpansNoiseMask(
                      s.length(), density, 3.0, new SplittableRandom(seed));
              int[] inputs = SpanCorruption.noiseSpanToUniqueSentinel(s.ids(), mask, TOP);
              int[] targets = SpanCorruption.nonNoiseSpanToUniqueSentinel(s.ids(), mask, TOP);
              assertArrayEquals(append(inputs, Sequences.EOT), pair.inputs().ids());
              assertArrayEquals(append(targets, Sequences.EOT), pair.targets().ids());
            });
  }

  private static int[] append(int[] ids, int id) {
    int[] out = java.util.Arrays.copyOf(ids, ids.length + 1);
    out[ids.length] = id;
    return out;
  }

  @Test
  void spanCorruptionDecoderPutsLossOnTheTargetsOnly() {
    SpanCorruptionObjective objective =
        SpanCorruptionObjective.create(TOKENIZER, Settings.empty(), Form.DECODER_ONLY);
    qt().forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              SpanCorruptionPair pair = objective.corrupt(s, new SplittableRandom(seed));
              TrainingExample e = objective.apply(s, new SplittableRandom(seed));
              int in = pair.inputs().length();
              for (int i = 0; i < e.length(); i++) {
                boolean target = i + 1 >= in && i + 1 < e.length();
                assertEquals(target, e.label(i) != TrainingExample.IGNORE, "position " + i);
              }
              assertTrue(e.attention().prefixLength(0) == 0);
            });
  }

  private static String decode(int[] ids) {
    return TOKENIZER.decode(TokenIds.of(ids));
  }

  @Test
  void fimReassemblesToTheOriginalCharacters() {
    int pre = TOKENIZER.specialTokenId("<fim_prefix>");
    int mid = TOKENIZER.specialTokenId("<fim_middle>");
    int suf = TOKENIZER.specialTokenId("<fim_suffix>");
    FillInTheMiddle fim =
        FillInTheMiddle.create(
            TOKENIZER,
            Settings.of(Map.of("objectives.fim.rate", "1", "objectives.fim.spm-rate", "0.5")));
    int[] layouts = new int[2];
    qt().withExamples(300)
        .forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              TrainingExample e = fim.apply(s, new SplittableRandom(seed));
              int[] ids = e.inputIds();
              int head = s.prefixIndex() + 1;
              if (head == s.length() - 1) {
                assertArrayEquals(s.ids(), ids, "no code, nothing to permute");
                return;
              }
              assertArrayEquals(
                  java.util.Arrays.copyOf(s.ids(), head), java.util.Arrays.copyOf(ids, head));
              assertEquals(Sequences.EOT, ids[ids.length - 1], "EOT stays last");
              assertEquals(pre, ids[head]);
              int sufAt = indexOf(ids, suf);
              int midAt = indexOf(ids, mid);
              String prefix;
              String middle;
              String suffix;
              if (sufAt == head + 1) { // SPM
                layouts[1]++;
                suffix = decode(java.util.Arrays.copyOfRange(ids, sufAt + 1, midAt));
                String prefixAndMiddle =
                    decode(java.util.Arrays.copyOfRange(ids, midAt + 1, ids.length - 1));
                prefix = prefixAndMiddle;
                middle = "";
              } else { // PSM
                layouts[0]++;
                prefix = decode(java.util.Arrays.copyOfRange(ids, head + 1, sufAt));
                suffix = decode(java.util.Arrays.copyOfRange(ids, sufAt + 1, midAt));
                middle = decode(java.util.Arrays.copyOfRange(ids, midAt + 1, ids.length - 1));
              }
              String original = decode(java.util.Arrays.copyOfRange(s.ids(), head, s.length() - 1));
              assertEquals(original, prefix + middle + suffix);
              assertEquals(ids.length - 1, e.labelledCount());
            });
    assertTrue(layouts[0] > 50 && layouts[1] > 50, "both PSM and SPM appear");
  }

  @Test
  void contextLevelFimKeepsTheLengthAndEveryDocumentsCharacters() {
    FillInTheMiddle fim =
        FillInTheMiddle.create(
            TOKENIZER,
            Settings.of(
                Map.of(
                    "objectives.fim.rate", "1",
                    "objectives.fim.level", "context",
                    "objectives.fim.spm-rate", "0")));
    int pad = TOKENIZER.specialTokenId("<fim_pad>");
    qt().forAll(Sequences.documents(30), Sequences.documents(30), longs().all())
        .checkAssert(
            (a, b, seed) -> {
              int n = a.length() + b.length() + 2;
              int[] row = new int[n];
              System.arraycopy(a.ids(), 0, row, 0, a.length());
              row[a.length()] = Sequences.EOT;
              System.arraycopy(b.ids(), 0, row, a.length() + 1, b.length());
              row[n - 1] = Sequences.EOT;
              TokenSequence context = TokenSequence.uniform(row, Modality.CODE);
              TrainingExample e = fim.apply(context, new SplittableRandom(seed));
              assertEquals(n, e.length(), "context length is kept");
              int[] ids = e.inputIds();
              int firstEot = indexOf(ids, Sequences.EOT);
              assertTrue(firstEot > 0);
              // 3 sentinels per document: the second document is cut by 6 - 2 = 4... or padded.
              int real = 0;
              while (real < n && ids[real] != pad) real++;
              for (int i = real; i < n; i++) assertEquals(pad, ids[i]);
              for (int i = 0; i < n; i++) {
                if (i + 1 < n && ids[i + 1] == pad) {
                  assertEquals(TrainingExample.IGNORE, e.label(i), "no loss on padding");
                }
              }
            });
  }

  @Test
  void codeGen2InfillSubstitutesBackToTheOriginal() {
    CodeGen2Infill infill = CodeGen2Infill.create(TOKENIZER, Settings.empty());
    int sep = TOKENIZER.specialTokenId("<sep>");
    int eom = TOKENIZER.specialTokenId("<eom>");
    Map<Integer, Integer> maskNumber = new HashMap<>();
    for (int k = 1; k <= 4; k++) maskNumber.put(TOKENIZER.specialTokenId("<mask_" + k + ">"), k);
    qt().withExamples(300)
        .forAll(Sequences.pairs(), longs().all())
        .checkAssert(
            (s, seed) -> {
              int[] ids = infill.apply(s, new SplittableRandom(seed)).inputIds();
              int sepAt = indexOf(ids, sep);
              assertEquals(Sequences.EOT, ids[sepAt - 1], "EOT before <sep>");
              Map<Integer, List<Integer>> spans = new HashMap<>();
              int current = -1;
              int expectedMask = 1;
              for (int i = sepAt + 1; i < ids.length; i++) {
                if (maskNumber.containsKey(ids[i]) && current == -1) {
                  current = ids[i];
                  assertEquals(expectedMask++, maskNumber.get(current), "masks in order");
                  spans.put(current, new ArrayList<>());
                } else if (ids[i] == eom) {
                  assertTrue(!spans.get(current).isEmpty(), "spans are never empty");
                  current = -1;
                } else {
                  spans.get(current).add(ids[i]);
                }
              }
              assertEquals(-1, current, "every span ends with <eom>");
              List<Integer> rebuilt = new ArrayList<>();
              for (int i = 0; i < sepAt - 1; i++) {
                if (maskNumber.containsKey(ids[i])) rebuilt.addAll(spans.get(ids[i]));
                else rebuilt.add(ids[i]);
              }
              rebuilt.add(Sequences.EOT);
              assertArrayEquals(s.ids(), rebuilt.stream().mapToInt(Integer::intValue).toArray());
            });
  }

  private static int indexOf(int[] ids, int id) {
    for (int i = 0; i < ids.length; i++) if (ids[i] == id) return i;
    return -1;
  }
}
