package dev.text2code.models.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code config.json}, read with errors that name the file and the key. */
record HfConfig(JsonNode root, Path file) {
  static final String FILE = "config.json";

  static HfConfig read(Path directory) {
    Path file = directory.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new ConfigurationException(
          directory + " is not a Hugging Face model directory: " + FILE + " is missing");
    }
    try {
      JsonNode root = new ObjectMapper().readTree(file.toFile());
      if (root == null || !root.isObject()) {
        throw new ConfigurationException(file + ": expected a JSON object");
      }
      return new HfConfig(root, file);
    } catch (IOException e) {
      throw new ConfigurationException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  boolean has(String key) {
    return root.hasNonNull(key);
  }

  String string(String key, String fallback) {
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? fallback : n.asText();
  }

  /** The first present key of {@code keys}, as a positive integer. */
  int requireInt(String... keys) {
    for (String key : keys) {
      JsonNode n = root.get(key);
      if (n != null && !n.isNull()) {
        if (!n.canConvertToInt() || n.asInt() <= 0) {
          throw new ConfigurationException(
              file + ": " + key + " = " + n + "; expected a positive integer");
        }
        return n.asInt();
      }
    }
    throw new ConfigurationException(file + ": " + String.join(" or ", keys) + " is missing");
  }

  int integer(String key, int fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.canConvertToInt()) {
      throw new ConfigurationException(file + ": " + key + " = " + n + "; expected an integer");
    }
    return n.asInt();
  }

  double number(String key, double fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.isNumber()) {
      throw new ConfigurationException(file + ": " + key + " = " + n + "; expected a number");
    }
    return n.asDouble();
  }

  boolean bool(String key, boolean fallback) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) return fallback;
    if (!n.isBoolean()) {
      throw new ConfigurationException(file + ": " + key + " = " + n + "; expected true or false");
    }
    return n.asBoolean();
  }

  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    JsonNode n = root.get(key);
    if (n != null && n.isArray()) n.forEach(v -> out.add(v.asText()));
    return out;
  }

  /** Fails unless {@code key} is absent or null (a feature the importer does not implement). */
  void requireAbsent(String key, String feature) {
    if (has(key)) {
      throw new ConfigurationException(
          file
              + ": "
              + key
              + " = "
              + root.get(key)
              + " asks for "
              + feature
              + ", which text2code does not implement; only null is supported");
    }
  }

  ConfigurationException unsupported(String key, Object value, String valid) {
    return new ConfigurationException(
        file + ": " + key + " = " + value + " is not supported; supported: " + valid);
  }
}
