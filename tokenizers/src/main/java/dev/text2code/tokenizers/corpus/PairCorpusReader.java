package dev.text2code.tokenizers.corpus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TextCodePair;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads text-code pairs from JSON Lines ({@code .jsonl}) or JSON array ({@code .json}) files,
 * optionally gzip-compressed. The fields are recognised per record: the paper's {@code
 * docstring}/{@code code}, CoNaLa's {@code rewritten_intent} (else {@code intent})/{@code snippet},
 * MBPP's {@code text}/{@code code}. Bad records (invalid JSON or UTF-8, not an object, missing or
 * empty fields, a text or code field that is not a JSON string, an id that is neither a string nor
 * an integer) are reported to a {@link SkipReport} with file:line and the reason, and the reading
 * goes on (unless the report is strict).
 */
public final class PairCorpusReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String language;

  public PairCorpusReader() {
    this("python");
  }

  public PairCorpusReader(String language) {
    this.language = language;
  }

  /**
   * Hands every good pair of a file to {@code sink}, in file order.
   *
   * @throws InvalidInputException when the file itself cannot be opened or is not a JSON array
   *     where one is expected
   */
  public void read(Path file, SkipReport skips, Consumer<TextCodePair> sink) {
    String name = file.getFileName().toString();
    String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    try (InputStream in = open(file)) {
      if (base.endsWith(".json")) readArray(file, in, skips, sink);
      else readLines(file, in, skips, sink);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot read pairs: " + e.getMessage(), e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + ": pair file not found");
    }
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b
        ? new BufferedInputStream(new GZIPInputStream(in), 1 << 16)
        : in;
  }

  private void readLines(Path file, InputStream in, SkipReport skips, Consumer<TextCodePair> sink)
      throws IOException {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    long lineNumber = 0;
    int b;
    boolean more = true;
    while (more) {
      b = in.read();
      if (b >= 0 && b != '\n') {
        line.write(b);
        continue;
      }
      more = b >= 0;
      lineNumber++;
      byte[] bytes = line.toByteArray();
      line.reset();
      parseLine(bytes, bytes.length, file + ":" + lineNumber, decoder, skips).ifPresent(sink);
    }
  }

  /**
   * One line of a JSONL pair file (without its line break) as {@link #read} takes it, so an engine
   * that splits the file itself reads the same pairs, skips and ids; {@code where} is {@code
   * file:lineNumber} (1-based), which is also the id of a record without an id field. A blank line
   * is neither a pair nor a skip.
   */
  public Optional<TextCodePair> parseLine(
      byte[] bytes, int length, String where, SkipReport skips) {
    return parseLine(
        bytes,
        length,
        where,
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT),
        skips);
  }

  private Optional<TextCodePair> parseLine(
      byte[] bytes,
      int length,
      String where,
      java.nio.charset.CharsetDecoder decoder,
      SkipReport skips) {
    String text;
    try {
      text = decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      skips.skip(where, "invalid UTF-8");
      return Optional.empty();
    }
    if (text.isBlank()) return Optional.empty();
    JsonNode record;
    try {
      record = JSON.readTree(text);
    } catch (IOException e) {
      skips.skip(where, "not valid JSON");
      return Optional.empty();
    }
    return convert(record, where, skips);
  }

  /**
   * One record given as a JSON object (for example a Parquet row whose columns are the JSONL keys),
   * checked and converted as a JSONL line is.
   */
  public Optional<TextCodePair> parseRecord(JsonNode record, String where, SkipReport skips) {
    return convert(record, where, skips);
  }

  private void readArray(Path file, InputStream in, SkipReport skips, Consumer<TextCodePair> sink)
      throws IOException {
    try (JsonParser parser = JSON.getFactory().createParser(in)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw InvalidInputException.at(
            file, 1, "expected a JSON array of pair objects (or use .jsonl for one per line)");
      }
      long index = 0;
      while (parser.nextToken() == JsonToken.START_OBJECT) {
        long line = parser.currentLocation().getLineNr();
        JsonNode record = JSON.readTree(parser);
        convert(record, file + ":" + line + " (item " + index++ + ")", skips).ifPresent(sink);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Malformed JSON in an array: the rest of the file cannot be located, so it is one skip.
      skips.skip(
          file + ":" + e.getLocation().getLineNr(), "not valid JSON (rest of the file unread)");
    }
  }

  private Optional<TextCodePair> convert(JsonNode record, String where, SkipReport skips) {
    if (!record.isObject()) {
      skips.skip(where, "not a JSON object but " + typeName(record));
      return Optional.empty();
    }
    String textField = firstField(record, TEXT_FIELDS);
    String codeField = firstField(record, CODE_FIELDS);
    if (textField == null) {
      skips.skip(where, "no text field (docstring, rewritten_intent, intent, text or nl)");
      return Optional.empty();
    }
    if (codeField == null) {
      skips.skip(where, "no code field (code or snippet)");
      return Optional.empty();
    }
    for (String field : List.of(textField, codeField)) {
      if (!record.get(field).isTextual()) {
        skips.skip(
            where, "field " + field + " is " + typeName(record.get(field)) + ", expected a string");
        return Optional.empty();
      }
    }
    String text = record.get(textField).asText();
    String code = record.get(codeField).asText();
    if (text.isBlank()) {
      skips.skip(where, "empty text");
      return Optional.empty();
    }
    if (code.isBlank()) {
      skips.skip(where, "empty code");
      return Optional.empty();
    }
    String idField = firstField(record, ID_FIELDS);
    String id = null;
    if (idField != null) {
      JsonNode value = record.get(idField);
      if (!value.isTextual() && !value.isIntegralNumber()) {
        skips.skip(
            where,
            "field " + idField + " is " + typeName(value) + ", expected a string or an integer");
        return Optional.empty();
      }
      id = value.asText();
    }
    skips.accept();
    return Optional.of(new TextCodePair(id == null ? where : id, text, code, language));
  }

  private static final List<String> TEXT_FIELDS =
      List.of("docstring", "rewritten_intent", "intent", "text", "nl");
  private static final List<String> CODE_FIELDS = List.of("code", "snippet");
  private static final List<String> ID_FIELDS = List.of("_id", "id", "task_id", "question_id");

  /** The first of {@code names} present and not null in the record, or null. */
  private static String firstField(JsonNode record, List<String> names) {
    for (String name : names) {
      JsonNode v = record.get(name);
      if (v != null && !v.isNull()) return name;
    }
    return null;
  }

  /** "a number", "an array", ...: a JSON value's type, for messages. */
  private static String typeName(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case STRING -> "a string";
      case NULL -> "null";
      default -> "a " + value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
