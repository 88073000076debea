package dev.text2code.data.report;

import dev.text2code.data.decontamination.DecontaminationSummary;
import dev.text2code.data.dedup.DedupSummary;
import java.util.Locale;
import java.util.Map;

/** The HTML page of a {@link DataReport}: tables and inline SVG histograms, no script. */
final class HtmlDataReport {
  private HtmlDataReport() {}

  static String render(DataReport r) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>text2code data report</title><style>")
        .append("body{font-family:sans-serif;margin:2em;max-width:60em}")
        .append("table{border-collapse:collapse;margin:1em 0}")
        .append("td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}")
        .append("td.n{text-align:right}</style></head><body>\n")
        .append("<h1>Data report</h1>\n<h2>Pairs</h2>\n<table>\n");
    row(h, "pairs read", r.pairsRead());
    for (var e : r.recordsSkipped().entrySet())
      row(h, "skipped while reading: " + e.getKey(), e.getValue());
    DedupSummary d = r.dedup();
    row(h, "exact duplicates removed", d.exactDuplicates());
    row(h, "near-duplicates removed (Jaccard \u2265 " + d.threshold() + ")", d.nearDuplicates());
    DecontaminationSummary c = r.decontamination();
    row(h, "decontaminated (" + c.ngram() + "-gram overlap or docstring)", c.pairsRemoved());
    for (var e : r.pairsRejected().entrySet()) row(h, "rejected: " + e.getKey(), e.getValue());
    for (var e : new java.util.TreeMap<>(r.tokens()).entrySet())
      row(h, e.getKey() + " tokens", e.getValue());
    h.append("</table>\n<h2>Prepared rows</h2>\n<table><tr><th>split</th><th>rows</th>")
        .append("<th>row length</th><th>padding</th><th>examples packed</th><th>dropped</th>")
        .append("<th>truncated</th><th>skipped</th></tr>\n");
    for (DataReport.Split s : r.splits()) {
      h.append("<tr><td>").append(escape(s.name())).append("</td>");
      cell(h, s.rows());
      cell(h, s.rowLength());
      h.append("<td class=\"n\">")
          .append(String.format(Locale.ROOT, "%.1f%%", 100 * s.paddingFraction()))
          .append("</td>");
      cell(h, s.examplesPacked());
      cell(h, s.examplesDropped());
      cell(h, s.examplesTruncated());
      cell(h, s.examplesSkipped());
      h.append("</tr>\n");
    }
    h.append("</table>\n<h2>Lengths</h2>\n");
    for (Map.Entry<String, Histogram.Summary> e :
        r.lengths().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      Histogram.Summary s = e.getValue();
      h.append("<h3>")
          .append(escape(e.getKey()))
          .append(
              String.format(
                  Locale.ROOT, " (n = %d, mean %.1f, max %d)", s.count(), s.mean(), s.max()))
          .append("</h3>\n");
      svg(h, s);
    }
    if (!c.benchmarks().isEmpty()) {
      h.append("<h2>Decontamination</h2>\n<table><tr><th>benchmark</th><th>problems</th>")
          .append("<th>pairs removed</th><th>task ids matched</th></tr>\n");
      for (DecontaminationSummary.Benchmark b : c.benchmarks()) {
        h.append("<tr><td>").append(escape(b.name())).append("</td>");
        cell(h, b.problems());
        cell(h, b.pairsRemoved());
        h.append("<td>").append(escape(String.join(", ", b.taskIds()))).append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    if (!d.examples().isEmpty()) {
      h.append("<h2>Duplicates (first ")
          .append(d.examples().size())
          .append(")</h2>\n")
          .append(
              "<table><tr><th>removed</th><th>kept</th><th>kind</th><th>similarity</th></tr>\n");
      for (DedupSummary.Example x : d.examples()) {
        h.append("<tr><td>")
            .append(escape(x.removedId()))
            .append("</td><td>")
            .append(escape(x.keptId()))
            .append("</td><td>")
            .append(x.kind())
            .append("</td>")
            .append(String.format(Locale.ROOT, "<td class=\"n\">%.3f</td></tr>\n", x.similarity()));
      }
      h.append("</table>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static void svg(StringBuilder h, Histogram.Summary s) {
    int barWidth = 36;
    int height = 160;
    int width = Math.max(1, s.bins().size()) * barWidth + 50;
    long most = s.bins().stream().mapToLong(Histogram.Bin::count).max().orElse(0);
    h.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">\n",
            width,
            height + 40));
    for (int i = 0; i < s.bins().size(); i++) {
      Histogram.Bin b = s.bins().get(i);
      int bar = most == 0 ? 0 : (int) Math.round((double) b.count() / most * height);
      int x = 40 + i * barWidth;
      h.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4e79a7\"><title>%d\u2013%d: %d</title></rect>\n",
              x,
              height - bar,
              barWidth - 4,
              bar,
              b.from(),
              b.to(),
              b.count()));
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>\n",
              x,
              height + 14,
              b.from() == b.to() ? Long.toString(b.from()) : "\u2265" + b.from()));
    }
    h.append(
        String.format(
            Locale.ROOT, "<text x=\"0\" y=\"12\" font-size=\"10\">%d</text></svg>\n", most));
  }

  private static void row(StringBuilder h, String label, long value) {
    h.append("<tr><td>").append(escape(label)).append("</td>");
    cell(h, value);
    h.append("</tr>\n");
  }

  private static void cell(StringBuilder h, long value) {
    h.append("<td class=\"n\">").append(value).append("</td>");
  }

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
