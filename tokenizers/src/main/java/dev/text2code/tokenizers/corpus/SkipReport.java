package dev.text2code.tokenizers.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.InvalidInputException;
import dev.text2code.api.Text2CodeException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Records that were skipped, with where (file:line) and why: counted per reason, the first few kept
 * as examples, optionally every one written to a rejects file (one JSON object per line: {@code
 * where}, {@code reason}), and in strict mode the first one stops the reading. Thread-safe.
 *
 * <p>The rejects file is written beside its final name and moved into place by {@link #close()}, so
 * a file under that name is always complete.
 */
public final class SkipReport implements AutoCloseable {
  /** One skipped record: where (file:line, file) and why. */
  public record Skip(String where, String reason) {}

  private static final int EXAMPLES_PER_REASON = 5;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Integer> counts = new TreeMap<>();
  private final List<Skip> examples = new ArrayList<>();
  private final boolean strict;
  private final Path rejectsFile;
  private final Path partial;
  private BufferedWriter rejects;
  private long accepted;

  /** Counts skips and keeps examples; never stops, writes nothing. */
  public SkipReport() {
    this(false, null);
  }

  private SkipReport(boolean strict, Path rejectsFile) {
    this.strict = strict;
    this.rejectsFile = rejectsFile;
    this.partial =
        rejectsFile == null
            ? null
            : rejectsFile.resolveSibling(rejectsFile.getFileName() + ".part");
    if (rejectsFile != null) {
      try {
        Path parent = rejectsFile.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        rejects = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new Text2CodeException("cannot write rejects file " + partial + ": " + e, e);
      }
    }
  }

  /**
   * A report that writes every skip to {@code rejectsFile} (complete after {@link #close()}) and,
   * if {@code strict}, throws {@link InvalidInputException} at the first one.
   */
  public static SkipReport writingTo(Path rejectsFile, boolean strict) {
    return new SkipReport(strict, rejectsFile);
  }

  /** A report that throws {@link InvalidInputException} at the first skip, writing nothing. */
  public static SkipReport strict() {
    return new SkipReport(true, null);
  }

  /**
   * Records a skip.
   *
   * @throws InvalidInputException in strict mode, naming where and why
   */
  public synchronized void skip(String where, String reason) {
    int seen = counts.merge(reason, 1, Integer::sum);
    if (seen <= EXAMPLES_PER_REASON) examples.add(new Skip(where, reason));
    if (rejects != null) {
      ObjectNode line = JSON.createObjectNode();
      line.put("where", where);
      line.put("reason", reason);
      try {
        rejects.write(line.toString());
        rejects.write('\n');
      } catch (IOException e) {
        throw new Text2CodeException("cannot write rejects file " + partial + ": " + e, e);
      }
    }
    if (strict) {
      close();
      throw new InvalidInputException(
          where
              + ": "
              + reason
              + " (strict reading stops at the first bad record; turn strict off to skip and"
              + " report such records)");
    }
  }

  public synchronized void accept() {
    accepted++;
  }

  public synchronized long accepted() {
    return accepted;
  }

  public synchronized long skipped() {
    return counts.values().stream().mapToLong(Integer::longValue).sum();
  }

  public boolean isStrict() {
    return strict;
  }

  /** Where every skip is written, if anywhere. */
  public Optional<Path> rejectsFile() {
    return Optional.ofNullable(rejectsFile);
  }

  /** Skips per reason, sorted by reason. */
  public synchronized Map<String, Integer> countsByReason() {
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  /** Up to five examples per reason, in the order they happened. */
  public synchronized List<Skip> examples() {
    return List.copyOf(examples);
  }

  /** A multi-line summary for the end of a run: counts per reason, each with its first places. */
  public synchronized String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append(accepted).append(" accepted, ").append(skipped()).append(" skipped");
    counts.forEach(
        (reason, n) -> {
          sb.append("\n  ").append(n).append(" x ").append(reason);
          for (Skip s : examples) {
            if (s.reason().equals(reason)) sb.append("\n      e.g. ").append(s.where());
          }
        });
    return sb.toString();
  }

  /** Finishes the rejects file (moves it into place); later skips are only counted. */
  @Override
  public synchronized void close() {
    if (rejects == null) return;
    try {
      rejects.close();
      Files.move(
          partial,
          rejectsFile,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new Text2CodeException("cannot write rejects file " + rejectsFile + ": " + e, e);
    } finally {
      rejects = null;
    }
  }

  @Override
  public String toString() {
    return summary();
  }
}
