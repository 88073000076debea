package dev.text2code.tokenizers.bpe;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.AtomicTokenMatcher;
import dev.text2code.tokenizers.SpecialTokenIds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pure-Java encoder and decoder for byte-level BPE {@code tokenizer.json} files (GPT-2, Qwen,
 * Llama 3 style, and the files {@link BpeTrainer} writes). Gives the same ids as the Hugging Face
 * Rust library for the supported subset: NFC/NFD/NFKC/NFKD normalisers, Split-regex (Isolated) and
 * ByteLevel pre-tokenizers, BPE merges, added tokens. Thread-safe.
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {
  private final String name;
  private final PreTokenizer preTokenizer;
  private final BpeModel model;
  private final Map<String, Integer> vocabulary;
  private final String[] spellings;
  private final Map<String, Integer> atomic;
  private final Set<Integer> special;
  private final AtomicTokenMatcher matcher;
  private final int vocabularySize;

  private ByteLevelBpeTokenizer(
      String name,
      PreTokenizer preTokenizer,
      BpeModel model,
      Map<String, Integer> vocabulary,
      Map<String, Integer> atomic,
      Set<Integer> special) {
    this.name = name;
    this.preTokenizer = preTokenizer;
    this.model = model;
    this.vocabulary = vocabulary;
    this.atomic = Collections.unmodifiableMap(new LinkedHashMap<>(atomic));
    this.special = Set.copyOf(special);
    this.matcher = new AtomicTokenMatcher(atomic);
    int max = -1;
    for (int id : vocabulary.values()) max = Math.max(max, id);
    for (int id : atomic.values()) max = Math.max(max, id);
    this.vocabularySize = max + 1;
    this.spellings = new String[vocabularySize];
    vocabulary.forEach((token, id) -> spellings[id] = token);
    atomic.forEach((token, id) -> spellings[id] = token);
  }

  /** Reads a byte-level BPE tokenizer.json (or .json.gz). */
  public static ByteLevelBpeTokenizer load(Path file) {
    return of(TokenizerJson.read(file));
  }

  /**
   * Builds the encoder for a parsed file.
   *
   * @throws InvalidInputException naming the file and key when the file uses a part this encoder
   *     does not implement
   */
  public static ByteLevelBpeTokenizer of(TokenizerJson json) {
    Path file = json.file();
    if (!json.modelType().equals("BPE")) {
      throw InvalidInputException.at(
          file,
          0,
          "key model.type = "
              + json.modelType()
              + " is not supported by the Java BPE encoder; expected BPE (use tokenizer ="
              + " huggingface for other model types)");
    }
    var m = json.node("model");
    requireEmpty(m.path("continuing_subword_prefix"), "continuing_subword_prefix", file);
    requireEmpty(m.path("end_of_word_suffix"), "end_of_word_suffix", file);
    if (m.path("byte_fallback").asBoolean(false)) {
      throw InvalidInputException.at(
          file, 0, "key model.byte_fallback = true is not supported; expected false (byte-level)");
    }
    if (!m.path("dropout").isNull() && !m.path("dropout").isMissingNode()) {
      throw InvalidInputException.at(
          file, 0, "key model.dropout = " + m.path("dropout") + " is not supported; expected null");
    }
    String decoder = json.node("decoder").path("type").asText("ByteLevel");
    if (!decoder.equals("ByteLevel")) {
      throw InvalidInputException.at(
          file, 0, "key decoder.type = " + decoder + " is not supported; expected ByteLevel");
    }
    PreTokenizer pre = PreTokenizer.of(json);
    Map<String, Integer> vocab = json.vocabulary();
    List<String[]> merges = json.merges();
    MergeTable table = new MergeTable(merges.size());
    for (int rank = 0; rank < merges.size(); rank++) {
      String[] pair = merges.get(rank);
      Integer left = vocab.get(pair[0]);
      Integer right = vocab.get(pair[1]);
      Integer merged = vocab.get(pair[0] + pair[1]);
      if (left == null || right == null || merged == null) {
        throw InvalidInputException.at(
            file,
            0,
            "key model.merges["
                + rank
                + "] = ["
                + pair[0]
                + ", "
                + pair[1]
                + "] uses a token missing from model.vocab");
      }
      table.put(left, right, rank, merged);
    }
    Map<String, Integer> atomic = new LinkedHashMap<>();
    Set<Integer> special = new TreeSet<>();
    for (TokenizerJson.AddedToken t : json.addedTokens()) {
      if (t.lstrip() || t.rstrip() || t.singleWord()) {
        throw InvalidInputException.at(
            file,
            0,
            "added token "
                + t.content()
                + " sets lstrip/rstrip/single_word, which the Java BPE encoder does not implement;"
                + " expected all three false (use tokenizer = huggingface)");
      }
      atomic.put(t.content(), t.id());
      if (t.special()) special.add(t.id());
    }
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return new ByteLevelBpeTokenizer(
        "bpe:" + fileName,
        pre,
        new BpeModel(vocab, table, m.path("ignore_merges").asBoolean(false)),
        Collections.unmodifiableMap(new HashMap<>(vocab)),
        atomic,
        special);
  }

  private static void requireEmpty(
      com.fasterxml.jackson.databind.JsonNode node, String key, Path file) {
    String value = node.isTextual() ? node.asText() : "";
    if (!value.isEmpty()) {
      throw InvalidInputException.at(
          file, 0, "key model." + key + " = " + value + " is not supported; expected empty");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TokenIds encode(String text) {
    return TokenIds.of(encodeToArray(text));
  }

  /** Encodes to a plain array (no defensive copy), for bulk callers. */
  public int[] encodeToArray(String text) {
    IntBuffer out = new IntBuffer();
    matcher.split(
        text,
        new AtomicTokenMatcher.Visitor() {
          @Override
          public void text(String t, int from, int to) {
            preTokenizer.split(t.substring(from, to), piece -> model.encode(piece, out));
          }

          @Override
          public void token(int id) {
            out.add(id);
          }
        });
    return out.toArray();
  }

  @Override
  public String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length() * 4);
    for (int i = 0; i < ids.length(); i++) {
      int id = ids.get(i);
      String token = tokenOf(id);
      if (atomic.containsKey(token) && atomic.get(token) == id) {
        if (skipSpecialTokens && special.contains(id)) continue;
        bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
      } else {
        ByteLevelAlphabet.appendBytes(token, bytes);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public Map<String, Integer> specialTokens() {
    return atomic;
  }

  @Override
  public String tokenOf(int id) {
    if (id < 0 || id >= vocabularySize || spellings[id] == null) {
      throw new IllegalArgumentException(
          "token id " + id + " is not in " + name + " (ids are in [0, " + vocabularySize + "))");
    }
    return spellings[id];
  }

  @Override
  public OptionalInt idOf(String token) {
    Integer id = atomic.get(token);
    if (id == null) id = vocabulary.get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public ByteLevelBpeTokenizer withSpecialTokens(List<String> tokens) {
    Map<String, Integer> fresh = SpecialTokenIds.assign(tokens, atomic, vocabulary, vocabularySize);
    Map<String, Integer> extended = new LinkedHashMap<>(atomic);
    extended.putAll(fresh);
    Set<Integer> specials = new TreeSet<>(special);
    specials.addAll(fresh.values());
    return new ByteLevelBpeTokenizer(name, preTokenizer, model, vocabulary, extended, specials);
  }

  @Override
  public String toString() {
    return name + " (" + vocabularySize + " ids, " + atomic.size() + " added tokens)";
  }
}
