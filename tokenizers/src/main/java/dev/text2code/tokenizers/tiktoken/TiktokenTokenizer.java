package dev.text2code.tokenizers.tiktoken;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.TokenIds;
import dev.text2code.api.Tokenizer;
import dev.text2code.tokenizers.AtomicTokenMatcher;
import dev.text2code.tokenizers.SpecialTokenIds;
import dev.text2code.tokenizers.bpe.ByteLevelAlphabet;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * OpenAI's tiktoken encodings (p50k_base is Codex's code tokenizer) through jtokkit. The ranks ship
 * inside jtokkit's jar; nothing is downloaded. Token spellings use the byte-level alphabet ({@code
 * Ġ} for a space) so that {@link #tokenOf} is comparable with GPT-2 style vocabularies.
 */
public final class TiktokenTokenizer implements Tokenizer {
  /** Vocabulary size and built-in special tokens of each encoding (from tiktoken's definitions). */
  private record Spec(int vocabularySize, int ordinaryEnd, Map<String, Integer> specials) {}

  private static final Map<String, Spec> SPECS =
      Map.of(
          "r50k_base", new Spec(50257, 50256, Map.of("<|endoftext|>", 50256)),
          "p50k_base", new Spec(50281, 50281, Map.of("<|endoftext|>", 50256)),
          "p50k_edit",
              new Spec(
                  50284,
                  50281,
                  Map.of(
                      "<|endoftext|>", 50256,
                      "<|fim_prefix|>", 50281,
                      "<|fim_middle|>", 50282,
                      "<|fim_suffix|>", 50283)),
          "cl100k_base",
              new Spec(
                  100277,
                  100256,
                  Map.of(
                      "<|endoftext|>", 100257,
                      "<|fim_prefix|>", 100258,
                      "<|fim_middle|>", 100259,
                      "<|fim_suffix|>", 100260,
                      "<|endofprompt|>", 100276)),
          "o200k_base",
              new Spec(200019, 199998, Map.of("<|endoftext|>", 199999, "<|endofprompt|>", 200018)));

  private final String encodingName;
  private final Encoding encoding;
  private final Spec spec;
  private final Map<String, Integer> atomic;
  private final Map<Integer, String> atomicById;
  private final int vocabularySize;
  private final AtomicTokenMatcher matcher;
  private volatile Map<String, Integer> reverse;

  private TiktokenTokenizer(
      String encodingName, Encoding encoding, Spec spec, Map<String, Integer> atomic) {
    this.encodingName = encodingName;
    this.encoding = encoding;
    this.spec = spec;
    this.atomic = Collections.unmodifiableMap(new LinkedHashMap<>(atomic));
    this.atomicById = new HashMap<>();
    int max = spec.vocabularySize() - 1;
    for (var e : atomic.entrySet()) {
      atomicById.put(e.getValue(), e.getKey());
      max = Math.max(max, e.getValue());
    }
    this.vocabularySize = max + 1;
    this.matcher = new AtomicTokenMatcher(atomic);
  }

  /** The encoding names this adapter knows. */
  public static List<String> encodings() {
    return SPECS.keySet().stream().sorted().collect(Collectors.toList());
  }

  /**
   * Opens an encoding by name.
   *
   * @throws ConfigurationException listing the valid names when the name is unknown
   */
  public static TiktokenTokenizer open(String encodingName) {
    Spec spec = SPECS.get(encodingName);
    EncodingType type = EncodingType.fromName(encodingName).orElse(null);
    if (spec == null || type == null) {
      throw new ConfigurationException(
          "tokenizers.encoding = "
              + encodingName
              + " is not valid; expected one of "
              + String.join(", ", encodings()));
    }
    Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(type);
    // Sort the built-in specials by id so their order is stable.
    Map<String, Integer> specials = new LinkedHashMap<>();
    spec.specials().entrySet().stream()
        .sorted(Map.Entry.comparingByValue())
        .forEach(e -> specials.put(e.getKey(), e.getValue()));
    return new TiktokenTokenizer(encodingName, encoding, spec, specials);
  }

  @Override
  public String name() {
    return "tiktoken:" + encodingName;
  }

  @Override
  public TokenIds encode(String text) {
    return TokenIds.of(
        matcher.encode(
            text,
            (stretch, out) -> {
              IntArrayList ids = encoding.encodeOrdinary(stretch);
              for (int i = 0; i < ids.size(); i++) out.add(ids.get(i));
            }));
  }

  @Override
  public String decode(TokenIds ids) {
    return decode(ids, false);
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length() * 4);
    IntArrayList run = new IntArrayList();
    for (int i = 0; i < ids.length(); i++) {
      int id = ids.get(i);
      String special = atomicById.get(id);
      if (special == null) {
        requireOrdinary(id);
        run.add(id);
        continue;
      }
      if (!run.isEmpty()) {
        bytes.writeBytes(encoding.decodeBytes(run));
        run.clear();
      }
      if (!skipSpecialTokens) bytes.writeBytes(special.getBytes(StandardCharsets.UTF_8));
    }
    if (!run.isEmpty()) bytes.writeBytes(encoding.decodeBytes(run));
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private void requireOrdinary(int id) {
    if (id < 0 || id >= spec.ordinaryEnd() || spec.specials().containsValue(id)) {
      throw new IllegalArgumentException(
          "token id " + id + " is not in " + name() + " (ids are in [0, " + vocabularySize + "))");
    }
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
    String special = atomicById.get(id);
    if (special != null) return special;
    requireOrdinary(id);
    IntArrayList one = new IntArrayList(1);
    one.add(id);
    return ByteLevelAlphabet.spell(encoding.decodeBytes(one));
  }

  @Override
  public OptionalInt idOf(String token) {
    Integer special = atomic.get(token);
    if (special != null) return OptionalInt.of(special);
    Integer id = reverse().get(token);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  private Map<String, Integer> reverse() {
    Map<String, Integer> r = reverse;
    if (r == null) {
      synchronized (this) {
        if (reverse == null) {
          Map<String, Integer> built = new HashMap<>(spec.ordinaryEnd() * 2);
          for (int id = 0; id < spec.ordinaryEnd(); id++) {
            if (atomicById.containsKey(id)) continue;
            built.put(tokenOf(id), id);
          }
          reverse = built;
        }
        r = reverse;
      }
    }
    return r;
  }

  @Override
  public TiktokenTokenizer withSpecialTokens(List<String> tokens) {
    Map<String, Integer> extended = new LinkedHashMap<>(atomic);
    extended.putAll(SpecialTokenIds.assign(tokens, atomic, Map.of(), vocabularySize));
    return new TiktokenTokenizer(encodingName, encoding, spec, extended);
  }

  @Override
  public String toString() {
    return name() + " (" + vocabularySize + " ids, special " + Arrays.asList(atomic.keySet()) + ")";
  }
}
