package dev.text2code.tokenizers.sentencepiece;

import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.AtomicTokenMatcher;
import dev.text2code.tokenizers.IntBuffer;
import dev.text2code.tokenizers.SpecialTokenIds;
import dev.text2code.tokenizers.sentencepiece.SentencePieceModel.Piece;
import dev.text2code.tokenizers.sentencepiece.SentencePieceModel.PieceType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.PriorityQueue;

/**
 * A SentencePiece model ({@code .model}) encoded in Java the way the C++ library encodes it:
 * normalization, then unigram Viterbi over piece scores or BPE merges by score, unknown characters
 * as byte pieces under byte fallback (otherwise a run of them as one unknown piece). Control pieces
 * ({@code <s>}, {@code </s>}) and tokens added by {@link #withSpecialTokens} are special tokens:
 * matched atomically in the text, and each stretch of text between them is encoded on its own.
 * Decoding maps {@code ▁} back to spaces, drops the dummy prefix of the first piece, turns byte
 * pieces back into UTF-8 and unknown pieces into {@code " ⁇ "}, as sentencepiece's decoder does.
 */
public final class SentencePieceTokenizer implements Tokenizer {
  private static final float UNK_PENALTY = 10.0f;
  private static final String UNK_SURFACE = " \u2047 ";

  private final String name;
  private final SentencePieceModel model;
  private final Normalizer normalizer;
  private final Map<String, Integer> pieces = new HashMap<>();
  private final Map<String, Integer> reserved = new HashMap<>();
  private final Map<String, Integer> special;
  private final Map<String, Integer> added;
  private final List<String> spellings;
  private final AtomicTokenMatcher matcher;
  private final List<String> userDefined = new ArrayList<>();
  private final int[] byteIds = new int[256];
  private final int maxPieceChars;
  private final float minScore;
  private final float maxScore;

  private SentencePieceTokenizer(
      String name, SentencePieceModel model, Map<String, Integer> addedTokens) {
    this.name = name;
    this.model = model;
    List<Piece> list = model.pieces();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    int longest = 1;
    java.util.Arrays.fill(byteIds, -1);
    Map<String, Integer> specials = new LinkedHashMap<>();
    for (int id = 0; id < list.size(); id++) {
      Piece p = list.get(id);
      switch (p.type()) {
        case NORMAL, USER_DEFINED, UNUSED -> {
          pieces.put(p.piece(), id);
          longest = Math.max(longest, p.piece().length());
          if (p.type() == PieceType.NORMAL) {
            min = Math.min(min, p.score());
            max = Math.max(max, p.score());
          }
          if (p.type() == PieceType.USER_DEFINED) userDefined.add(p.piece());
        }
        case CONTROL -> {
          reserved.put(p.piece(), id);
          specials.put(p.piece(), id);
        }
        case UNKNOWN -> reserved.put(p.piece(), id);
        case BYTE -> {
          reserved.put(p.piece(), id);
          int value = byteValue(p.piece());
          if (value >= 0) byteIds[value] = id;
        }
      }
    }
    if (model.byteFallback()) {
      for (int b = 0; b < 256; b++) {
        if (byteIds[b] < 0) {
          throw new IllegalArgumentException(
              "byte_fallback is on but the model has no piece " + bytePiece(b));
        }
      }
    }
    this.minScore = min;
    this.maxScore = max;
    this.maxPieceChars = longest;
    List<byte[]> userBytes = new ArrayList<>();
    for (String u : userDefined) userBytes.add(u.getBytes(StandardCharsets.UTF_8));
    this.normalizer =
        new Normalizer(model.normalizer(), model.treatWhitespaceAsSuffix(), userBytes);
    List<String> names = new ArrayList<>();
    for (Piece p : list) names.add(p.piece());
    for (Map.Entry<String, Integer> e : addedTokens.entrySet()) {
      if (e.getValue() == names.size()) {
        names.add(e.getKey());
      } else if (e.getValue() > names.size()) {
        throw new IllegalArgumentException("added token " + e.getKey() + " skips ids");
      }
      specials.put(e.getKey(), e.getValue());
    }
    this.added = Collections.unmodifiableMap(new LinkedHashMap<>(addedTokens));
    this.spellings = List.copyOf(names);
    this.special = Collections.unmodifiableMap(specials);
    this.matcher = new AtomicTokenMatcher(specials);
  }

  /** Loads a {@code .model} file. */
  public static SentencePieceTokenizer load(Path file) {
    SentencePieceModel model = SentencePieceModel.read(file);
    if (model.type() != SentencePieceModel.ModelType.UNIGRAM
        && model.type() != SentencePieceModel.ModelType.BPE) {
      throw new ConfigurationException(
          file
              + ": sentencepiece model type "
              + model.type().name().toLowerCase(java.util.Locale.ROOT)
              + " is not supported; supported: unigram, bpe");
    }
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    try {
      return new SentencePieceTokenizer("sentencepiece:" + fileName, model, Map.of());
    } catch (IllegalArgumentException e) {
      throw new dev.text2code.api.InvalidInputException(file + ": " + e.getMessage(), e);
    }
  }

  /** The parsed model. */
  public SentencePieceModel model() {
    return model;
  }

  /** The text the pieces are matched against (sentencepiece's normalizer output). */
  public String normalize(String text) {
    return normalizer.normalize(text);
  }

  /** Encodes to pieces (spellings), special tokens included. */
  public List<String> encodeToPieces(String text) {
    List<String> result = new ArrayList<>();
    for (int id : encode(text).toArray()) result.add(spellings.get(id));
    return result;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TokenIds encode(String text) {
    return TokenIds.of(matcher.encode(text, this::encodeOrdinary));
  }

  private void encodeOrdinary(String text, IntBuffer out) {
    String normalized = normalizer.normalize(text);
    if (normalized.isEmpty()) return;
    List<int[]> segments =
        model.type() == SentencePieceModel.ModelType.BPE ? bpe(normalized) : unigram(normalized);
    boolean prevUnknown = false;
    for (int[] s : segments) {
      int id = s[2];
      boolean unknown = id == model.unkId();
      if (unknown && model.byteFallback()) {
        for (byte b : normalized.substring(s[0], s[1]).getBytes(StandardCharsets.UTF_8)) {
          out.add(byteIds[b & 0xFF]);
        }
        prevUnknown = false;
      } else {
        // A run of unknown pieces is one unknown piece.
        if (!(unknown && prevUnknown)) out.add(id);
        prevUnknown = unknown;
      }
    }
  }

  private int pieceToId(String piece) {
    Integer id = reserved.get(piece);
    if (id == null) id = pieces.get(piece);
    return id == null ? model.unkId() : id;
  }

  private boolean isUnused(int id) {
    return model.pieces().get(id).type() == PieceType.UNUSED;
  }

  /** Viterbi over the pieces' scores: {from, to, id} segments in order. */
  private List<int[]> unigram(String s) {
    int n = s.length();
    float[] best = new float[n + 1];
    int[] startsAt = new int[n + 1];
    int[] ids = new int[n + 1];
    java.util.Arrays.fill(startsAt, -1);
    float unkScore = minScore - UNK_PENALTY;
    int start = 0;
    while (start < n) {
      float here = best[start];
      int charLen = Character.charCount(s.codePointAt(start));
      boolean single = false;
      int limit = Math.min(n, start + maxPieceChars);
      for (int end = start + 1; end <= limit; end++) {
        if (end < n && Character.isLowSurrogate(s.charAt(end))) continue;
        Integer id = pieces.get(s.substring(start, end));
        if (id == null || isUnused(id)) continue;
        Piece piece = model.pieces().get(id);
        float score =
            piece.type() == PieceType.USER_DEFINED
                ? utf8Length(piece.piece()) * maxScore - 0.1f
                : piece.score();
        float candidate = score + here;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          ids[end] = id;
        }
        if (end - start == charLen) single = true;
      }
      if (!single) {
        int end = start + charLen;
        float candidate = unkScore + here;
        if (startsAt[end] == -1 || candidate > best[end]) {
          best[end] = candidate;
          startsAt[end] = start;
          ids[end] = model.unkId();
        }
      }
      start += charLen;
    }
    List<int[]> result = new ArrayList<>();
    for (int end = n; end > 0; end = startsAt[end]) {
      result.add(new int[] {startsAt[end], end, ids[end]});
    }
    Collections.reverse(result);
    return result;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Merges adjacent symbols by the score of the merged piece, leftmost first on ties. */
  private List<int[]> bpe(String s) {
    List<int[]> symbols = new ArrayList<>(); // {from, to, prev, next, freeze}
    int pos = 0;
    while (pos < s.length()) {
      int length = 0;
      for (String u : userDefined) {
        if (u.length() > length && s.startsWith(u, pos)) length = u.length();
      }
      boolean freeze = length > 0;
      if (!freeze) length = Character.charCount(s.codePointAt(pos));
      int index = symbols.size();
      symbols.add(
          new int[] {
            pos,
            pos + length,
            index - 1,
            pos + length >= s.length() ? -1 : index + 1,
            freeze ? 1 : 0
          });
      pos += length;
    }
    // {left, right, size, score bits}; larger score first, then smaller left.
    PriorityQueue<float[]> agenda =
        new PriorityQueue<>(
            (a, b) -> a[3] != b[3] ? Float.compare(b[3], a[3]) : Float.compare(a[0], b[0]));
    Map<String, String[]> reverseMerge = new HashMap<>();
    for (int i = 1; i < symbols.size(); i++) addPair(s, symbols, agenda, reverseMerge, i - 1, i);
    while (!agenda.isEmpty()) {
      float[] top = agenda.poll();
      int[] left = symbols.get((int) top[0]);
      int[] right = symbols.get((int) top[1]);
      if (left[0] == left[1]
          || right[0] == right[1]
          || (left[1] - left[0]) + (right[1] - right[0]) != (int) top[2]) {
        continue;
      }
      left[1] = right[1];
      left[3] = right[3];
      if (right[3] >= 0) symbols.get(right[3])[2] = (int) top[0];
      right[0] = right[1];
      addPair(s, symbols, agenda, reverseMerge, left[2], (int) top[0]);
      addPair(s, symbols, agenda, reverseMerge, (int) top[0], left[3]);
    }
    List<int[]> result = new ArrayList<>();
    for (int index = 0; index != -1; index = symbols.get(index)[3]) {
      int[] sym = symbols.get(index);
      resegment(s, sym[0], sym[1], reverseMerge, result);
    }
    return result;
  }

  private void addPair(
      String s,
      List<int[]> symbols,
      PriorityQueue<float[]> agenda,
      Map<String, String[]> reverseMerge,
      int left,
      int right) {
    if (left == -1 || right == -1) return;
    int[] l = symbols.get(left);
    int[] r = symbols.get(right);
    if (l[4] == 1 || r[4] == 1) return;
    String piece = s.substring(l[0], r[1]);
    Integer id = pieces.get(piece);
    if (id == null) return;
    agenda.add(new float[] {left, right, piece.length(), model.pieces().get(id).score()});
    if (isUnused(id)) {
      reverseMerge.put(piece, new String[] {s.substring(l[0], l[1]), s.substring(r[0], r[1])});
    }
  }

  private void resegment(
      String s, int from, int to, Map<String, String[]> reverseMerge, List<int[]> out) {
    String w = s.substring(from, to);
    int id = pieceToId(w);
    String[] parts = isUnused(id) ? reverseMerge.get(w) : null;
    if (parts == null) {
      out.add(new int[] {from, to, id});
      return;
    }
    resegment(s, from, from + parts[0].length(), reverseMerge, out);
    resegment(s, from + parts[0].length(), to, reverseMerge, out);
  }

  @Override
  public String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean first = true;
    int basePieces = model.pieces().size();
    for (int i = 0; i < ids.length(); i++) {
      int id = ids.get(i);
      String spelling = tokenOf(id);
      if (id >= basePieces || (skipSpecialTokens && added.containsValue(id))) {
        flush(bytes, out);
        if (!skipSpecialTokens) out.append(spelling);
        continue;
      }
      Piece piece = model.pieces().get(id);
      if (piece.type() == PieceType.BYTE) {
        int value = byteValue(piece.piece());
        bytes.write(value);
        first = false;
        continue;
      }
      flush(bytes, out);
      switch (piece.type()) {
        case CONTROL -> {
          if (!skipSpecialTokens) out.append(spelling);
        }
        case UNKNOWN -> {
          out.append(UNK_SURFACE);
          first = false;
        }
        default -> {
          String text = spelling;
          boolean strip =
              first
                  && !model.treatWhitespaceAsSuffix()
                  && (model.normalizer().addDummyPrefix()
                      || model.normalizer().removeExtraWhitespaces());
          if (strip && text.startsWith("\u2581")) text = text.substring(1);
          // With extra whitespace removed, the decoder also drops spaces that lead the text.
          if (strip && model.normalizer().removeExtraWhitespaces()) {
            while (text.startsWith("\u2581")) text = text.substring(1);
            first = text.isEmpty();
          } else {
            first = false;
          }
          out.append(text.replace('\u2581', ' '));
        }
      }
    }
    flush(bytes, out);
    return out.toString();
  }

  private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
    if (bytes.size() == 0) return;
    out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    bytes.reset();
  }

  @Override
  public int vocabularySize() {
    return spellings.size();
  }

  @Override
  public Map<String, Integer> specialTokens() {
    return special;
  }

  @Override
  public String tokenOf(int id) {
    if (id < 0 || id >= spellings.size()) {
      throw new IllegalArgumentException(
          "token id " + id + " is not in " + name + " (ids are in [0, " + spellings.size() + "))");
    }
    return spellings.get(id);
  }

  @Override
  public OptionalInt idOf(String token) {
    Integer id = special.get(token);
    if (id == null) id = pieces.get(token);
    if (id == null) id = reserved.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public SentencePieceTokenizer withSpecialTokens(List<String> tokens) {
    Map<String, Integer> known = new LinkedHashMap<>(special);
    Map<String, Integer> vocabulary = new HashMap<>(pieces);
    vocabulary.putAll(reserved);
    Map<String, Integer> fresh =
        SpecialTokenIds.assign(tokens, known, vocabulary, spellings.size());
    if (fresh.isEmpty()) return this;
    Map<String, Integer> all = new LinkedHashMap<>(added);
    all.putAll(fresh);
    return new SentencePieceTokenizer(name, model, all);
  }

  private static int byteValue(String piece) {
    if (piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
      try {
        return Integer.parseInt(piece.substring(3, 5), 16);
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static String bytePiece(int b) {
    return String.format("<0x%02X>", b);
  }

  @Override
  public String toString() {
    return name + " (" + model.type() + ", " + spellings.size() + " ids)";
  }
}
