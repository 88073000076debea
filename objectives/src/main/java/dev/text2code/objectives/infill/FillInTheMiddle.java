package dev.text2code.objectives.infill;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.Settings;
import dev.text2code.api.TokenIds;
import dev.text2code.api.TokenSequence;
import dev.text2code.api.Tokenizer;
import dev.text2code.api.objective.GenerationNeeds;
import dev.text2code.api.objective.InfillPrompt;
import dev.text2code.api.objective.Infilling;
import dev.text2code.api.objective.Objective;
import dev.text2code.api.objective.TrainingExample;
import dev.text2code.objectives.Examples;
import dev.text2code.objectives.IdBuffer;
import dev.text2code.objectives.ObjectiveSettings;
import dev.text2code.objectives.SpecialSpellings;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * {@code fim}: fill-in-the-middle (Bavarian et al. 2022) at character level. With probability
 * {@code rate} a document's text is cut at two uniform character positions into prefix, middle and
 * suffix, each tokenized on its own, and laid out as PSM {@code <PRE> prefix <SUF> suffix <MID>
 * middle} or, with probability {@code spm-rate}, SPM {@code <PRE> <SUF> suffix <MID> prefix
 * middle}; a trailing end-of-document token stays last. Loss on every next token.
 *
 * <p>A text-to-code sequence keeps its text prefix (up to and including {@code <python>}) in front
 * and only its code is permuted. Cuts never fall inside a special token's spelling, so every piece
 * re-tokenizes to what it was.
 *
 * <p>Level {@link Level#CONTEXT} treats the input as a packed context: each document between
 * end-of-document tokens is permuted on its own (whole, no text prefix), and the result is cut to
 * the input length or right-padded with {@code <fim_pad>} (no loss on padding), as in the
 * reference's context-level FIM.
 */
public final class FillInTheMiddle implements Objective {
  public static final String NAME = "fim";

  /** Where FIM is applied. */
  public enum Level {
    DOCUMENT,
    CONTEXT
  }

  /** The FIM layouts. */
  public enum Layout {
    PSM,
    SPM
  }

  private final Tokenizer tokenizer;
  private final double rate;
  private final double spmRate;
  private final Level level;
  private final int prefixId;
  private final int middleId;
  private final int suffixId;
  private final int padId;
  private final OptionalInt endOfDocumentId;
  private final SpecialSpellings specials;
  private final int[] prefixToken;
  private final int[] prefixSuffixTokens;
  private final int[] suffixToken;
  private final int[] middleToken;

  public FillInTheMiddle(
      Tokenizer tokenizer,
      double rate,
      double spmRate,
      Level level,
      int prefixId,
      int middleId,
      int suffixId,
      int padId,
      OptionalInt endOfDocumentId) {
    this.tokenizer = tokenizer;
    this.rate = rate;
    this.spmRate = spmRate;
    this.level = level;
    this.prefixId = prefixId;
    this.middleId = middleId;
    this.suffixId = suffixId;
    this.padId = padId;
    this.endOfDocumentId = endOfDocumentId;
    this.specials = new SpecialSpellings(tokenizer.specialTokens().keySet());
    this.prefixToken = new int[] {prefixId};
    this.prefixSuffixTokens = new int[] {prefixId, suffixId};
    this.suffixToken = new int[] {suffixId};
    this.middleToken = new int[] {middleId};
  }

  /**
   * Reads {@code objectives.fim.}{@code rate} (0.5), {@code spm-rate} (0.5), {@code level}
   * (document | context, default document), {@code prefix-token} ({@code <fim_prefix>}), {@code
   * middle-token} ({@code <fim_middle>}), {@code suffix-token} ({@code <fim_suffix>}), {@code
   * pad-token} ({@code <fim_pad>}), {@code eod-token} ({@code <eot>}; {@code none} when documents
   * have no end token).
   */
  public static FillInTheMiddle create(Tokenizer tokenizer, Settings settings) {
    ObjectiveSettings s = new ObjectiveSettings(settings, NAME);
    String eod = s.string("eod-token", "<eot>");
    return new FillInTheMiddle(
        tokenizer,
        s.probability("rate", 0.5),
        s.probability("spm-rate", 0.5),
        s.choice("level", Level.DOCUMENT, Level.class),
        tokenizer.specialTokenId(s.string("prefix-token", "<fim_prefix>")),
        tokenizer.specialTokenId(s.string("middle-token", "<fim_middle>")),
        tokenizer.specialTokenId(s.string("suffix-token", "<fim_suffix>")),
        tokenizer.specialTokenId(s.string("pad-token", "<fim_pad>")),
        eod.equalsIgnoreCase("none")
            ? OptionalInt.empty()
            : OptionalInt.of(tokenizer.specialTokenId(eod)));
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Infills with its PSM (default) or SPM layout. */
  @Override
  public GenerationNeeds generationNeeds() {
    Infilling infilling =
        (t, head, before, after, variant) ->
            infillPrompt(
                head,
                before,
                after,
                switch (variant.toLowerCase(Locale.ROOT)) {
                  case "", "psm" -> Layout.PSM;
                  case "spm" -> Layout.SPM;
                  default ->
                      throw new ConfigurationException(
                          "fim layout " + variant + " is not valid; expected psm or spm");
                });
    return new GenerationNeeds(GenerationNeeds.Input.PAIRS, false, Optional.of(infilling));
  }

  public Level level() {
    return level;
  }

  @Override
  public TrainingExample apply(TokenSequence sequence, RandomGenerator random) {
    int[] ids = sequence.ids();
    byte[] modalities = sequence.modalityCodes();
    if (level == Level.DOCUMENT) {
      // Plan first, so that the row is built once at its exact length.
      int head = sequence.prefixIndex() + 1;
      Document document = permuteDocument(ids, modalities, head, ids.length, random);
      TrainingExample.Builder row = TrainingExample.builder(head + document.length());
      row.addAll(ids, modalities, 0, head);
      document.writeTo(row, ids, modalities);
      return row.nextToken(0, 0);
    }
    IdBuffer out = new IdBuffer(ids.length + 16);
    int start = 0;
    for (int i = 0; i <= ids.length; i++) {
      boolean end = i == ids.length;
      boolean eod = !end && endOfDocumentId.isPresent() && ids[i] == endOfDocumentId.getAsInt();
      if (end || eod) {
        permuteDocument(ids, modalities, start, eod ? i + 1 : i, random)
            .writeTo(out, ids, modalities);
        start = i + 1;
      }
    }
    int n = ids.length;
    int[] row = Arrays.copyOf(out.ids(), n);
    byte[] rowModalities = Arrays.copyOf(out.modalities(), n);
    int real = Math.min(out.size(), n);
    for (int i = real; i < n; i++) row[i] = padId;
    return Examples.shifted(row, rowModalities, target -> target < real, 0);
  }

  /**
   * The document {@code ids[from, to)}, FIM-permuted with probability {@code rate}: either left as
   * it is ({@code pieces} empty) or the permuted pieces followed by the untouched {@code
   * ids[bodyEnd, to)} (a final end-of-document token), every piece with the body's first modality.
   */
  private record Document(int from, int to, int bodyEnd, byte modality, int[][] pieces) {
    int length() {
      if (pieces.length == 0) return to - from;
      int n = to - bodyEnd;
      for (int[] piece : pieces) n += piece.length;
      return n;
    }

    void writeTo(TrainingExample.Builder out, int[] ids, byte[] modalities) {
      if (pieces.length == 0) {
        out.addAll(ids, modalities, from, to);
        return;
      }
      for (int[] piece : pieces) out.addAll(piece, 0, piece.length, modality);
      out.addAll(ids, modalities, bodyEnd, to);
    }

    void writeTo(IdBuffer out, int[] ids, byte[] modalities) {
      if (pieces.length == 0) {
        out.addAll(ids, modalities, from, to);
        return;
      }
      for (int[] piece : pieces) out.addAll(piece, 0, piece.length, modality);
      out.addAll(ids, modalities, bodyEnd, to);
    }
  }

  private static final int[][] UNTOUCHED = new int[0][];

  /**
   * The document {@code ids[from, to)} (modality codes {@code modalities}), FIM-permuted with
   * probability {@code rate}; a final end-of-document token stays at the end.
   */
  private Document permuteDocument(
      int[] ids, byte[] modalities, int from, int to, RandomGenerator random) {
    int bodyEnd = to;
    if (bodyEnd > from
        && endOfDocumentId.isPresent()
        && ids[bodyEnd - 1] == endOfDocumentId.getAsInt()) {
      bodyEnd--;
    }
    if (bodyEnd == from || random.nextDouble() >= rate) {
      return new Document(from, to, bodyEnd, (byte) 0, UNTOUCHED);
    }
    String text = tokenizer.decode(TokenIds.of(Arrays.copyOfRange(ids, from, bodyEnd)));
    Cut cut = cut(text, random);
    int[] prefix = tokenizer.encode(text.substring(0, cut.start())).toArray();
    int[] middle = tokenizer.encode(text.substring(cut.start(), cut.end())).toArray();
    int[] suffix = tokenizer.encode(text.substring(cut.end())).toArray();
    int[][] pieces =
        random.nextDouble() < spmRate
            ? new int[][] {prefixSuffixTokens, suffix, middleToken, prefix, middle}
            : new int[][] {prefixToken, prefix, suffixToken, suffix, middleToken, middle};
    return new Document(from, to, bodyEnd, modalities[from], pieces);
  }

  /**
   * The prompt that asks a model trained with this objective for the code between {@code prefix}
   * and {@code suffix}: {@code head} (a pair's {@code <comments> text <python>}, or empty), then
   * PSM {@code <PRE> prefix <SUF> suffix <MID>} or SPM {@code <PRE> <SUF> suffix <MID> prefix},
   * each part tokenized on its own as in training. Training put the end-of-document token after the
   * middle, so that token's spelling ends the generated middle (none when documents have none).
   */
  public InfillPrompt infillPrompt(
      TokenSequence head, String prefix, String suffix, Layout layout) {
    int[] before = tokenizer.encode(prefix).toArray();
    int[] after = tokenizer.encode(suffix).toArray();
    int[][] pieces =
        layout == Layout.SPM
            ? new int[][] {head.ids(), prefixSuffixTokens, after, middleToken, before}
            : new int[][] {head.ids(), prefixToken, before, suffixToken, after, middleToken};
    return new InfillPrompt(
        Examples.concatenate(head, pieces),
        endOfDocumentId.isPresent()
            ? java.util.List.of(tokenizer.tokenOf(endOfDocumentId.getAsInt()))
            : java.util.List.of());
  }

  /** The two character positions, sorted. */
  public record Cut(int start, int end) {}

  /**
   * Two positions drawn uniformly from the allowed cut points of {@code text} (every index in
   * {@code [0, length]} except those inside a special token's spelling or a surrogate pair).
   */
  Cut cut(String text, RandomGenerator random) {
    BitSet forbidden = forbiddenCuts(text);
    int allowed = text.length() + 1 - forbidden.cardinality();
    int a = nthAllowed(forbidden, random.nextInt(allowed));
    int b = nthAllowed(forbidden, random.nextInt(allowed));
    return new Cut(Math.min(a, b), Math.max(a, b));
  }

  private BitSet forbiddenCuts(String text) {
    BitSet forbidden = EMPTY;
    int n = text.length();
    // Special spellings start with one of a few characters: jump between them with indexOf.
    for (int f = 0; f < specials.firstCharacterCount(); f++) {
      char first = specials.firstCharacter(f);
      for (int i = text.indexOf(first); i >= 0; i = text.indexOf(first, i + 1)) {
        // The longest spelling's cuts include those of any shorter one at the same start.
        int length = specials.longestAt(text, i).length();
        if (length > 0) {
          if (forbidden == EMPTY) forbidden = new BitSet(n + 1);
          forbidden.set(i + 1, i + length);
        }
      }
    }
    // No surrogate pair can hide in text whose code points are all single chars (Latin-1 text
    // answers this without a scan).
    if (text.codePointCount(0, n) != n) {
      for (int i = 1; i < n; i++) {
        if (Character.isLowSurrogate(text.charAt(i))
            && Character.isHighSurrogate(text.charAt(i - 1))) {
          if (forbidden == EMPTY) forbidden = new BitSet(n + 1);
          forbidden.set(i);
        }
      }
    }
    return forbidden;
  }

  /** Shared "nothing forbidden"; never modified. */
  private static final BitSet EMPTY = new BitSet(0);

  private static int nthAllowed(BitSet forbidden, int n) {
    if (forbidden.isEmpty()) return n;
    int position = forbidden.nextClearBit(0);
    for (int k = 0; k < n; k++) position = forbidden.nextClearBit(position + 1);
    return position;
  }
}
