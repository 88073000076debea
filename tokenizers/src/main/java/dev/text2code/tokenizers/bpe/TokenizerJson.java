package dev.text2code.tokenizers.bpe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A Hugging Face {@code tokenizer.json} (plain or gzip-compressed), read as a tree. It gives the
 * vocabulary and added tokens to every adapter, the byte-level BPE parts to the Java encoder, and
 * can be rewritten with extra special tokens.
 */
public final class TokenizerJson {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One entry of {@code added_tokens}. */
  public record AddedToken(
      int id,
      String content,
      boolean special,
      boolean singleWord,
      boolean lstrip,
      boolean rstrip,
      boolean normalized) {}

  private final Path file;
  private final ObjectNode root;
  private final byte[] original;

  private TokenizerJson(Path file, ObjectNode root, byte[] original) {
    this.file = file;
    this.root = root;
    this.original = original;
  }

  /** Reads a tokenizer.json or tokenizer.json.gz (gzip is recognised by its magic bytes). */
  public static TokenizerJson read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(
          file
              + ": tokenizer file not found; expected a Hugging Face tokenizer.json (or .json.gz)");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
      if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
          bytes = in.readAllBytes();
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read tokenizer file: " + e.getMessage(), e);
    }
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (!(node instanceof ObjectNode object)) {
      throw InvalidInputException.at(file, 0, "expected a JSON object at the top level");
    }
    if (!object.path("model").isObject()) {
      throw InvalidInputException.at(
          file, 0, "key model is missing; expected a tokenizer.json with a model section");
    }
    return new TokenizerJson(file, object, bytes);
  }

  public Path file() {
    return file;
  }

  /** The tree (a copy), for adapters that hand the file to another library. */
  public ObjectNode tree() {
    return root.deepCopy();
  }

  /** The JSON as UTF-8 bytes: the file's own bytes unless this is a modified copy. */
  public byte[] bytes() {
    if (original != null) return original.clone();
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String modelType() {
    return root.path("model").path("type").asText("BPE");
  }

  /** {@code model.vocab}: spelling to id, in file order. */
  public Map<String, Integer> vocabulary() {
    JsonNode vocab = root.path("model").path("vocab");
    if (!vocab.isObject()) {
      throw InvalidInputException.at(
          file, 0, "key model.vocab is missing or not an object; expected {token: id, ...}");
    }
    Map<String, Integer> result = new LinkedHashMap<>();
    vocab.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asInt()));
    return result;
  }

  /** {@code model.merges} in rank order, each as (left, right); both file formats are accepted. */
  public List<String[]> merges() {
    JsonNode merges = root.path("model").path("merges");
    List<String[]> result = new ArrayList<>(merges.size());
    int index = 0;
    for (JsonNode merge : merges) {
      if (merge.isArray() && merge.size() == 2) {
        result.add(new String[] {merge.get(0).asText(), merge.get(1).asText()});
      } else if (merge.isTextual() && merge.asText().indexOf(' ', 1) > 0) {
        String s = merge.asText();
        int space = s.indexOf(' ', 1);
        result.add(new String[] {s.substring(0, space), s.substring(space + 1)});
      } else {
        throw InvalidInputException.at(
            file,
            0,
            "key model.merges["
                + index
                + "] = "
                + merge
                + " is not valid; expected \"left right\" or [\"left\", \"right\"]");
      }
      index++;
    }
    return result;
  }

  public List<AddedToken> addedTokens() {
    List<AddedToken> result = new ArrayList<>();
    for (JsonNode t : root.path("added_tokens")) {
      result.add(
          new AddedToken(
              t.path("id").asInt(),
              t.path("content").asText(),
              t.path("special").asBoolean(false),
              t.path("single_word").asBoolean(false),
              t.path("lstrip").asBoolean(false),
              t.path("rstrip").asBoolean(false),
              t.path("normalized").asBoolean(false)));
    }
    return result;
  }

  /** A top-level node (read-only use), for example {@code model}. */
  public JsonNode node(String key) {
    return root.path(key);
  }

  /**
   * A copy with {@code tokens} appended to {@code added_tokens} as special, unnormalised tokens
   * with the given ids.
   */
  public TokenizerJson withAddedSpecialTokens(Map<String, Integer> tokens) {
    ObjectNode copy = root.deepCopy();
    ArrayNode added =
        copy.path("added_tokens").isArray()
            ? (ArrayNode) copy.get("added_tokens")
            : copy.putArray("added_tokens");
    tokens.forEach(
        (content, id) -> {
          ObjectNode t = added.addObject();
          t.put("id", id);
          t.put("content", content);
          t.put("single_word", false);
          t.put("lstrip", false);
          t.put("rstrip", false);
          t.put("normalized", false);
          t.put("special", true);
        });
    return new TokenizerJson(file, copy, null);
  }

  /** A user-facing location for messages: {@code file (key k)}. */
  String where(String key) {
    return file + " (key " + key + ")";
  }
}
