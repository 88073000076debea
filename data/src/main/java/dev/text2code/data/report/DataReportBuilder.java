package dev.text2code.data.report;

import dev.text2code.api.TokenSequence;
import dev.text2code.data.decontamination.DecontaminationSummary;
import dev.text2code.data.dedup.DedupSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the per-example statistics of a {@link DataReport} while examples stream past: tokens
 * per modality and length histograms, in constant memory.
 */
public final class DataReportBuilder {
  private final Histogram textTokens = new Histogram();
  private final Histogram codeTokens = new Histogram();
  private final Histogram exampleTokens = new Histogram();
  private long text;
  private long code;

  /** Counts one formatted, routed example. */
  public void example(TokenSequence sequence) {
    int n = sequence.length();
    int c = 0;
    for (int i = 0; i < n; i++) if (sequence.isCode(i)) c++;
    code += c;
    text += n - c;
    textTokens.add(n - c);
    codeTokens.add(c);
    exampleTokens.add(n);
  }

  /** The report of everything counted so far and the given pass results. */
  public DataReport build(
      long pairsRead,
      Map<String, Long> recordsSkipped,
      DedupSummary dedup,
      DecontaminationSummary decontamination,
      Map<String, Long> pairsRejected,
      List<DataReport.Split> splits) {
    Map<String, Histogram.Summary> lengths = new LinkedHashMap<>();
    lengths.put("text-tokens", textTokens.summary());
    lengths.put("code-tokens", codeTokens.summary());
    lengths.put("example-tokens", exampleTokens.summary());
    return new DataReport(
        pairsRead,
        recordsSkipped,
        dedup,
        decontamination,
        pairsRejected,
        Map.of("text", text, "code", code),
        lengths,
        splits);
  }
}
