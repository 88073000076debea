package dev.text2code.evaluation.problems;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.InvalidInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads JSON Lines (optionally gzip-compressed) and JSON arrays, naming file:line on errors. */
public final class JsonLines {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  /** A parsed record and the 1-based line it came from (0 for JSON array elements). */
  public record Line(JsonNode node, long lineNumber) {}

  /** Every non-blank line of {@code file} as a JSON object. */
  public static List<Line> read(Path file) {
    List<Line> lines = new ArrayList<>();
    try (BufferedReader reader = open(file)) {
      String text;
      long number = 0;
      while ((text = reader.readLine()) != null) {
        number++;
        if (text.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
          throw InvalidInputException.at(
              file, number, "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!node.isObject()) {
          throw InvalidInputException.at(file, number, "expected a JSON object per line");
        }
        lines.add(new Line(node, number));
      }
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot be read: " + e.getMessage(), e);
    }
    return lines;
  }

  /** The elements of a JSON array file (sanitized MBPP). */
  public static List<Line> readArray(Path file) {
    try (BufferedReader reader = open(file)) {
      JsonNode root = MAPPER.readTree(reader);
      if (root == null || !root.isArray()) {
        throw InvalidInputException.at(file, 0, "expected a JSON array of objects");
      }
      List<Line> lines = new ArrayList<>();
      root.forEach(node -> lines.add(new Line(node, 0)));
      return lines;
    } catch (JsonProcessingException e) {
      throw InvalidInputException.at(
          file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "not valid JSON");
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  static BufferedReader open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": no such file");
    }
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }

  /** A fresh, empty JSON object. */
  public static com.fasterxml.jackson.databind.node.ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  /** The shared mapper (thread-safe once configured). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A required text field, or an error naming file:line and the key. */
  public static String text(Path file, Line line, String key) {
    JsonNode value = line.node().get(key);
    if (value == null || value.isNull()) {
      throw InvalidInputException.at(
          file, line.lineNumber(), "missing required key \"" + key + "\"");
    }
    if (!value.isTextual() && !value.isNumber()) {
      throw InvalidInputException.at(
          file,
          line.lineNumber(),
          "key \"" + key + "\" must be a string, found " + value.getNodeType());
    }
    return value.asText();
  }

  /** An optional text field. */
  public static String optionalText(Line line, String key, String fallback) {
    JsonNode value = line.node().get(key);
    return value == null || value.isNull() ? fallback : value.asText();
  }

  /** A list of strings (a single string is accepted as a one-element list). */
  public static List<String> texts(Path file, Line line, String key) {
    JsonNode value = line.node().get(key);
    if (value == null || value.isNull()) {
      throw InvalidInputException.at(
          file, line.lineNumber(), "missing required key \"" + key + "\"");
    }
    List<String> result = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(element -> result.add(element.asText()));
    } else {
      result.add(value.asText());
    }
    return result;
  }
}
