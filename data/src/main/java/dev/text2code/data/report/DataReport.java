package dev.text2code.data.report;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.text2code.api.CheckpointException;
import dev.text2code.data.decontamination.DecontaminationSummary;
import dev.text2code.data.dedup.DedupSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a preparation read, removed and wrote: {@code data-report.json} and a self-contained {@code
 * data-report.html} (inline SVG, no script).
 *
 * @param pairsRead pairs the corpus reader produced
 * @param recordsSkipped records or files the corpus reader skipped, by reason
 * @param dedup what deduplication removed
 * @param decontamination what decontamination removed
 * @param pairsRejected pairs the layout or the objective rejected, by reason
 * @param tokens tokens per modality ({@code text}, {@code code}) over the prepared examples
 * @param lengths length histograms: {@code text-tokens}, {@code code-tokens} (per pair) and {@code
 *     example-tokens} (per formatted example)
 * @param splits the prepared splits ({@code train}, {@code held-out})
 */
public record DataReport(
    long pairsRead,
    Map<String, Long> recordsSkipped,
    DedupSummary dedup,
    DecontaminationSummary decontamination,
    Map<String, Long> pairsRejected,
    Map<String, Long> tokens,
    Map<String, Histogram.Summary> lengths,
    List<Split> splits) {
  public static final String JSON_FILE = "data-report.json";
  public static final String HTML_FILE = "data-report.html";
  private static final ObjectWriter WRITER =
      new ObjectMapper()
          .writer(
              new DefaultPrettyPrinter()
                  .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                  .withArrayIndenter(new DefaultIndenter("  ", "\n")));

  public DataReport {
    Objects.requireNonNull(dedup, "dedup");
    Objects.requireNonNull(decontamination, "decontamination");
    recordsSkipped = Map.copyOf(new java.util.TreeMap<>(recordsSkipped));
    pairsRejected = Map.copyOf(new java.util.TreeMap<>(pairsRejected));
    tokens = Map.copyOf(tokens);
    lengths = Map.copyOf(lengths);
    splits = List.copyOf(splits);
  }

  /**
   * One prepared split.
   *
   * @param name {@code train} or {@code held-out}
   * @param rows packed rows
   * @param rowLength tokens per row
   * @param paddingTokens cells of padding
   * @param paddingFraction paddingTokens / (rows * rowLength)
   * @param examplesPacked examples in the rows
   * @param examplesDropped examples longer than a row, dropped
   * @param examplesTruncated examples cut to a row
   * @param examplesSkipped examples the objective rejected
   */
  public record Split(
      String name,
      long rows,
      int rowLength,
      long paddingTokens,
      double paddingFraction,
      long examplesPacked,
      long examplesDropped,
      long examplesTruncated,
      long examplesSkipped) {
    public Split {
      dev.text2code.api.ConfigurationException.require(
          paddingTokens >= 0 && paddingTokens <= rows * (long) rowLength,
          "paddingTokens",
          paddingTokens,
          "in [0, rows * rowLength]");
    }

    /** The split prepared in {@code data}: its manifest's counts and its padding, streamed. */
    public static Split of(String name, dev.text2code.objectives.prepare.PreparedDataset data) {
      var m = data.manifest();
      return of(
          name,
          m.rows(),
          m.rowLength(),
          data.paddingTokens(),
          m.examplesPacked(),
          m.examplesDropped(),
          m.examplesTruncated(),
          m.examplesSkipped());
    }

    /** A split, its padding fraction (padding cells / all cells; 0 for no rows) computed. */
    public static Split of(
        String name,
        long rows,
        int rowLength,
        long paddingTokens,
        long examplesPacked,
        long examplesDropped,
        long examplesTruncated,
        long examplesSkipped) {
      double fraction = rows == 0 ? 0 : (double) paddingTokens / (rows * (double) rowLength);
      return new Split(
          name,
          rows,
          rowLength,
          paddingTokens,
          fraction,
          examplesPacked,
          examplesDropped,
          examplesTruncated,
          examplesSkipped);
    }
  }

  /** Writes both files into {@code directory} (each to a temporary name, then renamed). */
  public void write(Path directory) {
    try {
      Files.createDirectories(directory);
      write(directory.resolve(JSON_FILE), WRITER.writeValueAsBytes(this));
      write(
          directory.resolve(HTML_FILE),
          HtmlDataReport.render(this).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CheckpointException("cannot write the data report in " + directory + ": " + e, e);
    }
  }

  /** Reads a {@code data-report.json}. */
  public static DataReport read(Path file) {
    try {
      return new ObjectMapper().readValue(file.toFile(), DataReport.class);
    } catch (IOException e) {
      throw dev.text2code.api.InvalidInputException.at(
          file, 0, "not a data report: " + e.getMessage());
    }
  }

  private static void write(Path target, byte[] bytes) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(temp, bytes);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
