package dev.text2code.objectives.span;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import dev.text2code.objectives.ObjectiveSettings;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * T5 span corruption as an objective for decoder-only backends: the sequence {@code inputs +
 * targets} of a {@link SpanCorruptionPair} with loss on the targets.
 *
 * <p>{@link Form#ENCODER_DECODER} ({@code span-corruption}) lets the inputs see each other (a
 * prefix square over them, standing in for T5's encoder); {@link Form#DECODER_ONLY} ({@code
 * span-corruption-decoder}) is causal throughout. Encoder-decoder users call {@link #corrupt}
 * directly.
 */
public final class SpanCorruptionObjective implements Objective {
  /** The T5 encoder-decoder form (inputs bidirectional). */
  public static final String NAME = "span-corruption";

  /** Inputs and targets in one causal sequence. */
  public static final String DECODER_NAME = "span-corruption-decoder";

  /** How the pair becomes one row. */
  public enum Form {
    ENCODER_DECODER,
    DECODER_ONLY
  }

  private final Form form;
  private final double density;
  private final double meanSpanLength;
  private final int topSentinelId;
  private final int sentinelCount;
  private final OptionalInt eosId;

  /**
   * T5 semantics: sentinels count down from {@code topSentinelId} and every id below it may serve.
   *
   * @param topSentinelId the first span's sentinel; later spans count down from it
   * @param eosId appended to inputs and targets when present
   */
  public SpanCorruptionObjective(
      Form form, double density, double meanSpanLength, int topSentinelId, OptionalInt eosId) {
    this(form, density, meanSpanLength, new Sentinels(topSentinelId, topSentinelId + 1), eosId);
  }

  /**
   * @param sentinels the reserved sentinel ids; an example needing more spans fails
   * @param eosId appended to inputs and targets when present
   */
  public SpanCorruptionObjective(
      Form form, double density, double meanSpanLength, Sentinels sentinels, OptionalInt eosId) {
    SpanCorruption.checkDensity(density);
    SpanCorruption.checkMeanSpanLength(meanSpanLength);
    this.form = form;
    this.density = density;
    this.meanSpanLength = meanSpanLength;
    this.topSentinelId = sentinels.top();
    this.sentinelCount = sentinels.count();
    this.eosId = eosId;
  }

  /**
   * Reserved sentinel ids: {@code top, top - 1, ..., top - count + 1}.
   *
   * @param top the first span's sentinel
   * @param count how many ids below and including {@code top} are reserved for sentinels
   */
  public record Sentinels(int top, int count) {
    public Sentinels {
      if (top < 0 || count < 1 || count > top + 1) {
        throw new IllegalArgumentException(
            "sentinels top = "
                + top
                + ", count = "
                + count
                + "; expected top >= 0 and 1 <= count <= top + 1");
      }
    }

    /**
     * From the {@code top-sentinel} key: an id (every id below it may serve, as in T5) or a
     * special-token spelling; by default the tokenizer's {@code <extra_id_0>}, with as many
     * sentinels as there are {@code <extra_id_k>} tokens at {@code id(<extra_id_0>) - k}.
     *
     * @throws ConfigurationException when the tokenizer reserves no sentinels and none is set
     */
    public static Sentinels from(Tokenizer tokenizer, ObjectiveSettings s) {
      String raw = s.string("top-sentinel", "");
      if (raw.chars().allMatch(Character::isDigit) && !raw.isEmpty()) {
        int id = Integer.parseInt(raw);
        if (id >= tokenizer.vocabularySize()) {
          throw s.invalid(
              "top-sentinel", raw, "an id below the vocabulary size " + tokenizer.vocabularySize());
        }
        return new Sentinels(id, id + 1);
      }
      String spelling = raw.isEmpty() ? "<extra_id_0>" : raw;
      Integer top = tokenizer.specialTokens().get(spelling);
      if (top == null) {
        throw new ConfigurationException(
            s.key("top-sentinel")
                + (raw.isEmpty() ? " is not set" : " = " + raw + " is not a special token")
                + " and tokenizer "
                + tokenizer.name()
                + " has no <extra_id_0>: span corruption needs reserved sentinel ids. Add"
                + " <extra_id_99> ... <extra_id_0> as special tokens (in that order, so that"
                + " <extra_id_0> is the highest id, as in T5) or set "
                + s.key("top-sentinel")
                + " to an id");
      }
      int count = 1;
      if (spelling.equals("<extra_id_0>")) {
        while (top - count >= 0
            && Integer.valueOf(top - count)
                .equals(tokenizer.specialTokens().get("<extra_id_" + count + ">"))) {
          count++;
        }
      } else {
        count = top + 1;
      }
      return new Sentinels(top, count);
    }
  }

  /**
   * Reads {@code objectives.<name>.}{@code noise-density} (0.15), {@code mean-noise-span-length}
   * (3.0), {@code eos-token} ({@code <eot>}; {@code none} for no EOS) and {@code top-sentinel}: a
   * special token spelling or an id; by default {@code <extra_id_0>} if the tokenizer defines it,
   * else {@code vocabularySize - 1} as in T5. The ids below the top sentinel must be reserved for
   * sentinels (one per span).
   */
  public static SpanCorruptionObjective create(Tokenizer tokenizer, Settings settings, Form form) {
    String name = form == Form.ENCODER_DECODER ? NAME : DECODER_NAME;
    ObjectiveSettings s = new ObjectiveSettings(settings, name);
    double density = s.number("noise-density", 0.15, 0, 0.999999);
    double mean = s.number("mean-noise-span-length", 3.0, 1, 1e9);
    String eos = s.string("eos-token", "<eot>");
    OptionalInt eosId =
        eos.equalsIgnoreCase("none")
            ? OptionalInt.empty()
            : OptionalInt.of(tokenizer.specialTokenId(eos));
    return new SpanCorruptionObjective(form, density, mean, Sentinels.from(tokenizer, s), eosId);
  }

  @Override
  public String name() {
    return form == Form.ENCODER_DECODER ? NAME : DECODER_NAME;
  }

  public Form form() {
    return form;
  }

  /** The T5 inputs/targets pair of one sequence. */
  public SpanCorruptionPair corrupt(TokenSequence sequence, RandomGenerator random) {
    Layout layout = layout(sequence, random, true);
    return new SpanCorruptionPair(
        TokenSequence.of(layout.ids, layout.modalities, -1),
        TokenSequence.of(layout.targetIds, layout.targetModalities, -1));
  }

  /**
   * Inputs then targets: in {@code ids} alone ({@code targetIds} == {@code ids}, targets from
   * {@code inputsLength}), or split, targets in {@code targetIds} from 0.
   */
  private record Layout(
      int[] ids, byte[] modalities, int[] targetIds, byte[] targetModalities, int inputsLength) {}

  private Layout layout(TokenSequence sequence, RandomGenerator random, boolean split) {
    int n = sequence.length();
    if (n < 2 || density == 0) {
      Layout joined = layoutFromMask(sequence.ids(), sequence.modalityCodes(), random);
      if (!split) return joined;
      int in = joined.inputsLength();
      int total = joined.ids().length;
      return new Layout(
          Arrays.copyOf(joined.ids(), in),
          Arrays.copyOf(joined.modalities(), in),
          Arrays.copyOfRange(joined.ids(), in, total),
          Arrays.copyOfRange(joined.modalities(), in, total),
          in);
    }
    int[] ids = sequence.ids();
    byte[] modalities = sequence.modalityCodes();
    // The usual case works span by span: no per-token mask, one array copy per span.
    SpanCorruption.SpanLengths spans =
        SpanCorruption.randomSpans(n, density, meanSpanLength, random);
    int count = spans.count();
    checkSentinels(count);
    int noiseTokens = 0;
    for (int length : spans.noise()) noiseTokens += length;
    int eos = eosId.isPresent() ? 1 : 0;
    int inputs = n - noiseTokens + count + eos;
    int targets = noiseTokens + count + eos;
    int[] out = new int[split ? inputs : inputs + targets];
    byte[] outModalities = new byte[out.length];
    int[] targetOut = split ? new int[targets] : out;
    byte[] targetModalities = split ? new byte[targets] : outModalities;
    int k = 0;
    int t = split ? 0 : inputs;
    int position = 0;
    // With one modality throughout (a code document), fill the modalities once at the end.
    int shared = Examples.sharedModality(modalities);
    for (int s = 0; s < count; s++) {
      int keep = spans.nonNoise()[s];
      int hide = spans.noise()[s];
      targetOut[t] = topSentinelId - s;
      targetModalities[t++] = modalityCode(sequence, position);
      System.arraycopy(ids, position, out, k, keep);
      if (shared < 0) System.arraycopy(modalities, position, outModalities, k, keep);
      k += keep;
      position += keep;
      out[k] = topSentinelId - s;
      outModalities[k++] = modalities[position];
      System.arraycopy(ids, position, targetOut, t, hide);
      if (shared < 0) System.arraycopy(modalities, position, targetModalities, t, hide);
      t += hide;
      position += hide;
    }
    if (shared >= 0) {
      Arrays.fill(outModalities, (byte) shared);
      Arrays.fill(targetModalities, (byte) shared);
    }
    if (eos == 1) {
      byte eosModality = modalityCode(sequence, n - 1);
      out[k] = eosId.getAsInt();
      outModalities[k] = eosModality;
      targetOut[t] = eosId.getAsInt();
      targetModalities[t] = eosModality;
    }
    return new Layout(out, outModalities, targetOut, targetModalities, inputs);
  }

  private static void addRange(
      TrainingExample.Builder row, int[] ids, byte[] modalities, int shared, int from, int to) {
    if (shared >= 0) row.addAll(ids, from, to, (byte) shared);
    else row.addAll(ids, modalities, from, to);
  }

  private static byte modalityCode(TokenSequence sequence, int position) {
    return sequence.isCode(position) ? (byte) 1 : (byte) 0;
  }

  private void checkSentinels(int needed) {
    if (needed > sentinelCount) {
      throw new ConfigurationException(
          "span corruption needs "
              + needed
              + " sentinels for this example but only "
              + sentinelCount
              + " are reserved below id "
              + topSentinelId
              + "; reserve more <extra_id_k> tokens, lower the noise density or raise the mean"
              + " span length");
    }
  }

  /** The general path (fewer than 2 tokens, or density 0) through T5's noise mask. */
  private Layout layoutFromMask(int[] ids, byte[] modalities, RandomGenerator random) {
    int n = ids.length;
    boolean[] noise = SpanCorruption.randomSpansNoiseMask(n, density, meanSpanLength, random);
    int noiseTokens = 0;
    int noiseSpans = 0;
    int nonNoiseSpans = 0;
    for (int i = 0; i < n; i++) {
      boolean starts = i == 0 || noise[i - 1] != noise[i];
      if (noise[i]) {
        noiseTokens++;
        if (starts) noiseSpans++;
      } else if (starts) {
        nonNoiseSpans++;
      }
    }
    checkSentinels(Math.max(noiseSpans, nonNoiseSpans));
    int eos = eosId.isPresent() ? 1 : 0;
    int inputs = n - noiseTokens + noiseSpans + eos;
    int total = inputs + noiseTokens + nonNoiseSpans + eos;
    int[] out = new int[total];
    byte[] outModalities = new byte[total];
    byte eosModality = n == 0 ? 0 : modalities[n - 1];
    int k = 0;
    int inputSentinel = topSentinelId + 1;
    for (int i = 0; i < n; i++) {
      if (!noise[i]) {
        out[k] = ids[i];
        outModalities[k++] = modalities[i];
      } else if (i == 0 || !noise[i - 1]) {
        out[k] = --inputSentinel;
        outModalities[k++] = modalities[i];
      }
    }
    if (eos == 1) {
      out[k] = eosId.getAsInt();
      outModalities[k++] = eosModality;
    }
    int targetSentinel = topSentinelId + 1;
    for (int i = 0; i < n; i++) {
      if (noise[i]) {
        out[k] = ids[i];
        outModalities[k++] = modalities[i];
      } else if (i == 0 || noise[i - 1]) {
        out[k] = --targetSentinel;
        outModalities[k++] = modalities[i];
      }
    }
    if (eos == 1) {
      out[k] = eosId.getAsInt();
      outModalities[k] = eosModality;
    }
    return new Layout(out, outModalities, out, outModalities, inputs);
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    int n = sequence.length();
    int prefixForm = form == Form.ENCODER_DECODER ? 1 : 0;
    if (n < 2 || density == 0) {
      Layout layout = layout(sequence, random, false);
      int inputs = layout.inputsLength();
      return Examples.shiftedFrom(layout.ids, layout.modalities, inputs, prefixForm * inputs);
    }
    // The usual case writes inputs then targets straight into the example's row, span by span:
    // the same tokens as layout(..., false), without the intermediate row.
    int[] ids = sequence.ids();
    byte[] modalities = sequence.modalityCodes();
    SpanCorruption.SpanLengths spans =
        SpanCorruption.randomSpans(n, density, meanSpanLength, random);
    int count = spans.count();
    checkSentinels(count);
    int[] keeps = spans.nonNoise();
    int[] hides = spans.noise();
    int noiseTokens = 0;
    for (int length : hides) noiseTokens += length;
    boolean withEos = eosId.isPresent();
    int eos = withEos ? 1 : 0;
    int inputs = n - noiseTokens + count + eos;
    TrainingExample.Builder row = TrainingExample.builder(inputs + noiseTokens + count + eos);
    // One modality throughout (a code document) lets every span record its modality at once.
    int shared = Examples.sharedModality(modalities);
    int position = 0;
    for (int s = 0; s < count; s++) {
      addRange(row, ids, modalities, shared, position, position + keeps[s]);
      position += keeps[s];
      row.add(topSentinelId - s, modalities[position]);
      position += hides[s];
    }
    byte eosModality = modalities[n - 1];
    if (withEos) row.add(eosId.getAsInt(), eosModality);
    position = 0;
    for (int s = 0; s < count; s++) {
      row.add(topSentinelId - s, modalities[position]);
      position += keeps[s];
      addRange(row, ids, modalities, shared, position, position + hides[s]);
      position += hides[s];
    }
    if (withEos) row.add(eosId.getAsInt(), eosModality);
    return row.nextToken(inputs, prefixForm * inputs);
  }
}
