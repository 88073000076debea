package dev.text2code.tokenizers.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.TextCodePair;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes pairs as JSON Lines in the paper's fields ({@code _id}, {@code docstring}, {@code code}),
 * so that an extracted corpus reads back with {@link PairCorpusReader}. The file appears only when
 * complete (temp file, then rename).
 */
public final class PairCorpusWriter implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final Path temp;
  private final BufferedWriter out;
  private long written;
  private boolean closed;

  public PairCorpusWriter(Path file) {
    this.file = file.toAbsolutePath();
    this.temp = this.file.resolveSibling("." + this.file.getFileName() + ".partial");
    try {
      Files.createDirectories(this.file.getParent());
      out =
          new BufferedWriter(
              new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot write pairs: " + e.getMessage(), e);
    }
  }

  public void write(TextCodePair pair) {
    ObjectNode record = JSON.createObjectNode();
    record.put("_id", pair.id());
    record.put("docstring", pair.text());
    record.put("code", pair.code());
    try {
      out.write(JSON.writeValueAsString(record));
      out.write('\n');
      written++;
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot write pairs: " + e.getMessage(), e);
    }
  }

  public long written() {
    return written;
  }

  /** Finishes the file and moves it into place. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      out.close();
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot finish pairs: " + e.getMessage(), e);
    }
  }
}
