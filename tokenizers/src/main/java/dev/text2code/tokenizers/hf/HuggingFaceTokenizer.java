package dev.text2code.tokenizers.hf;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import dev.text2code.api.BackendUnavailableException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TokenIds;
import dev.text2code.tokenizers.VocabularyTokenizer;
import dev.text2code.tokenizers.bpe.TokenizerJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any Hugging Face {@code tokenizer.json}, encoded by the Rust library through DJL's binding. The
 * file is read here (plain or gzip) and handed to the native library as text, so nothing is
 * downloaded; the native library is extracted from DJL's jar into {@code DJL_CACHE_DIR} on first
 * use. Added tokens of the file count as special tokens: the Rust encoder keeps them atomic.
 */
public final class HuggingFaceTokenizer extends VocabularyTokenizer {
  private final TokenizerJson json;
  private final ai.djl.huggingface.tokenizers.HuggingFaceTokenizer rust;

  private HuggingFaceTokenizer(TokenizerJson json, String name) {
    super(name, Collections.unmodifiableMap(readVocabulary(json)), addedTokens(json));
    this.json = json;
    this.rust = openNative(json);
  }

  private static Map<String, Integer> addedTokens(TokenizerJson json) {
    Map<String, Integer> added = new LinkedHashMap<>();
    for (TokenizerJson.AddedToken t : json.addedTokens()) added.put(t.content(), t.id());
    return added;
  }

  /** Loads a tokenizer.json or tokenizer.json.gz. */
  public static HuggingFaceTokenizer load(Path file) {
    TokenizerJson json = TokenizerJson.read(file);
    String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    return new HuggingFaceTokenizer(json, "hf:" + fileName);
  }

  private static ai.djl.huggingface.tokenizers.HuggingFaceTokenizer openNative(TokenizerJson json) {
    // No begin/end tokens, no truncation, no padding: the SDK adds its own layout tokens.
    Map<String, String> options =
        Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");
    byte[] text = json.bytes();
    try {
      return ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(text), options);
    } catch (IOException e) {
      throw new InvalidInputException(json.file() + ": cannot load tokenizer: " + e, e);
    } catch (UnsatisfiedLinkError e) {
      throw new BackendUnavailableException(
          "the Hugging Face tokenizers native library could not be loaded ("
              + e.getMessage()
              + "); it ships inside ai.djl.huggingface:tokenizers and is extracted to"
              + " DJL_CACHE_DIR, which must be writable",
          e);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          json.file() + ": the Hugging Face library rejected the file: " + e.getMessage(), e);
    }
  }

  private static Map<String, Integer> readVocabulary(TokenizerJson json) {
    JsonNode vocab = json.node("model").path("vocab");
    Map<String, Integer> result = new HashMap<>();
    if (vocab.isObject()) {
      vocab.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asInt()));
    } else if (vocab.isArray()) {
      // Unigram: [[piece, score], ...] with the id as the position.
      int id = 0;
      for (JsonNode entry : vocab) {
        result.put(entry.isArray() ? entry.get(0).asText() : entry.asText(), id++);
      }
    } else {
      throw InvalidInputException.at(
          json.file(), 0, "key model.vocab is missing; expected an object or a list");
    }
    return result;
  }

  @Override
  public TokenIds encode(String text) {
    return TokenIds.of(encodeToArray(text));
  }

  /**
   * Encodes to a plain array. Asks the native encoding for its ids only: DJL's {@code Encoding}
   * would also copy tokens, offsets and masks across JNI, which costs more than the encoding.
   */
  public int[] encodeToArray(String text) {
    long encoding = TokenizersLibrary.LIB.encode(rust.getHandle(), text, false);
    try {
      return toInts(TokenizersLibrary.LIB.getTokenIds(encoding));
    } finally {
      TokenizersLibrary.LIB.deleteEncoding(encoding);
    }
  }

  /** Encodes many texts at once; the Rust library spreads the batch over all cores. */
  public int[][] encodeBatch(List<String> texts) {
    long[] encodings =
        TokenizersLibrary.LIB.batchEncode(rust.getHandle(), texts.toArray(String[]::new), false);
    int[][] result = new int[encodings.length][];
    try {
      for (int i = 0; i < encodings.length; i++) {
        result[i] = toInts(TokenizersLibrary.LIB.getTokenIds(encodings[i]));
      }
    } finally {
      for (long e : encodings) TokenizersLibrary.LIB.deleteEncoding(e);
    }
    return result;
  }

  private static int[] toInts(long[] ids) {
    int[] result = new int[ids.length];
    for (int i = 0; i < ids.length; i++) result[i] = (int) ids[i];
    return result;
  }

  @Override
  public String decode(TokenIds ids, boolean skipSpecialTokens) {
    long[] longs = new long[ids.length()];
    for (int i = 0; i < longs.length; i++) {
      int id = ids.get(i);
      if (id < 0 || id >= vocabularySize()) tokenOf(id);
      longs[i] = id;
    }
    return rust.decode(longs, skipSpecialTokens);
  }

  @Override
  public HuggingFaceTokenizer withSpecialTokens(List<String> tokens) {
    Map<String, Integer> fresh = newSpecialTokenIds(tokens);
    if (fresh.isEmpty()) return this;
    return new HuggingFaceTokenizer(json.withAddedSpecialTokens(fresh), name());
  }
}
