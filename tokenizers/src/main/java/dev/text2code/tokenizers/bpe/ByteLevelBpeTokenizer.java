package dev.text2code.tokenizers.bpe;

import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.tokenizers.AtomicTokenMatcher;
import dev.text2code.tokenizers.VocabularyTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pure-Java encoder and decoder for byte-level BPE {@code tokenizer.json} files (GPT-2, Qwen,
 * Llama 3 style, and the files {@link BpeTrainer} writes). Gives the same ids as the Hugging Face
 * Rust library for the supported subset: NFC/NFD/NFKC/NFKD normalisers, Split-regex (Isolated) and
 * ByteLevel pre-tokenizers, BPE merges, added tokens. Thread-safe.
 */
public final class ByteLevelBpeTokenizer extends VocabularyTokenizer {
  private final PreTokenizer preTokenizer;
  private final BpeModel model;
  private final Set<Integer> special;
  private final AtomicTokenMatcher matcher;

  private ByteLevelBpeTokenizer(
      String name,
      PreTokenizer preTokenizer,
      BpeModel model,
      Map<String, Integer> vocabulary,
      Map<String, Integer> atomic,
      Set<Integer> special) {
    super(name, vocabulary, atomic);
    this.preTokenizer = preTokenizer;
    this.model = model;
    this.special = Set.copyOf(special);
    this.matcher = new AtomicTokenMatcher(atomic);
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
  public TokenIds encode(String text) {
    return TokenIds.of(encodeToArray(text));
  }

  /** Encodes to a plain array (no defensive copy), for bulk callers. */
  public int[] encodeToArray(String text) {
    return matcher.encode(
        text, (stretch, out) -> preTokenizer.split(stretch, piece -> model.encode(piece, out)));
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    Map<String, Integer> atomic = specialTokens();
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
  public ByteLevelBpeTokenizer withSpecialTokens(List<String> tokens) {
    Map<String, Integer> fresh = newSpecialTokenIds(tokens);
    Map<String, Integer> extended = new LinkedHashMap<>(specialTokens());
    extended.putAll(fresh);
    Set<Integer> specials = new TreeSet<>(special);
    specials.addAll(fresh.values());
    return new ByteLevelBpeTokenizer(name(), preTokenizer, model, vocabulary(), extended, specials);
  }
}
