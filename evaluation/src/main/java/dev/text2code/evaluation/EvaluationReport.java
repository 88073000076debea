package dev.text2code.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.text2code.api.ConfigurationException;
import dev.text2code.api.InvalidInputException;
import dev.text2code.evaluation.problems.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * pass@k of one or more benchmarks as a JSON summary and a self-contained HTML page (inline SVG bar
 * chart of pass@k per k and benchmark, plus a table; no script, no external resource).
 */
public record EvaluationReport(String title, List<Entry> entries) {

  /** One row: a benchmark (or a variant such as "HumanEval incremental (micro)") and its pass@k. */
  public record Entry(String name, SortedMap<Integer, Double> passAtK, int problems, int samples) {
    public Entry {
      ConfigurationException.require(name != null && !name.isBlank(), "name", name, "a label");
      passAtK = new TreeMap<>(passAtK);
      for (double value : passAtK.values()) {
        ConfigurationException.require(value >= 0 && value <= 1, "passAtK", value, "in [0, 1]");
      }
    }

    /** The macro and micro rows of an incremental evaluation. */
    public static java.util.List<Entry> incremental(
        String benchmark, IncrementalTasks.IncrementalPassAtK result, int problems, int samples) {
      return java.util.List.of(
          new Entry(benchmark + " incremental (macro)", result.macro(), problems, samples),
          new Entry(benchmark + " incremental (micro)", result.micro(), problems, samples));
    }

    public static Entry of(EvaluationSummary summary) {
      return new Entry(
          summary.benchmark(),
          summary.passAtK(),
          summary.perTask().size(),
          summary.results().size());
    }
  }

  private static final String[] COLOURS = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f"
  };

  public EvaluationReport {
    ConfigurationException.require(title != null, "title", null, "a title");
    entries = List.copyOf(entries);
  }

  public ObjectNode toJson() {
    ObjectNode root = JsonLines.newObject();
    root.put("title", title);
    ArrayNode list = root.putArray("benchmarks");
    for (Entry entry : entries) {
      ObjectNode node = list.addObject();
      node.put("name", entry.name());
      node.put("problems", entry.problems());
      node.put("samples", entry.samples());
      ObjectNode pass = node.putObject("pass_at_k");
      entry.passAtK().forEach((k, value) -> pass.put("pass@" + k, value));
    }
    return root;
  }

  public String toJsonText() {
    try {
      return JsonLines.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson())
          + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The HTML page. */
  public String toHtml() {
    TreeSet<Integer> ks = new TreeSet<>();
    entries.forEach(entry -> ks.addAll(entry.passAtK().keySet()));
    List<Integer> kList = new ArrayList<>(ks);
    int groupWidth = Math.max(60, 24 * Math.max(1, entries.size()) + 20);
    int left = 50;
    int top = 20;
    int plotHeight = 240;
    int width = left + Math.max(1, kList.size()) * groupWidth + 20;
    int height = top + plotHeight + 50 + 20 * entries.size();
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\""
                + " aria-label=\"pass@k per k and benchmark\" font-family=\"sans-serif\""
                + " font-size=\"12\">%n",
            width,
            height));
    for (int tick = 0; tick <= 10; tick += 2) {
      double y = top + plotHeight * (1 - tick / 10.0);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>%n",
              left,
              y,
              width - 10,
              y,
              left - 6,
              y + 4,
              tick * 10));
    }
    for (int g = 0; g < kList.size(); g++) {
      int k = kList.get(g);
      int groupLeft = left + g * groupWidth + 10;
      for (int e = 0; e < entries.size(); e++) {
        Double value = entries.get(e).passAtK().get(k);
        if (value == null) {
          continue;
        }
        double barHeight = plotHeight * value;
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%.1f\" width=\"20\" height=\"%.1f\" fill=\"%s\">"
                    + "<title>%s pass@%d = %.4f</title></rect>%n",
                groupLeft + 24 * e,
                top + plotHeight - barHeight,
                barHeight,
                COLOURS[e % COLOURS.length],
                escape(entries.get(e).name()),
                k,
                value));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">pass@%d</text>%n",
              groupLeft + 12 * entries.size(),
              top + plotHeight + 18,
              k));
    }
    for (int e = 0; e < entries.size(); e++) {
      int y = top + plotHeight + 40 + 20 * e;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>%n",
              left,
              y - 10,
              COLOURS[e % COLOURS.length],
              left + 18,
              y,
              escape(entries.get(e).name())));
    }
    svg.append("</svg>\n");
    StringBuilder table =
        new StringBuilder("<table>\n<tr><th>benchmark</th><th>problems</th><th>samples</th>");
    kList.forEach(k -> table.append("<th>pass@").append(k).append("</th>"));
    table.append("</tr>\n");
    for (Entry entry : entries) {
      table
          .append("<tr><td>")
          .append(escape(entry.name()))
          .append("</td><td>")
          .append(entry.problems())
          .append("</td><td>")
          .append(entry.samples())
          .append("</td>");
      for (int k : kList) {
        Double value = entry.passAtK().get(k);
        table
            .append("<td>")
            .append(value == null ? "&ndash;" : String.format(Locale.ROOT, "%.2f%%", 100 * value))
            .append("</td>");
      }
      table.append("</tr>\n");
    }
    table.append("</table>\n");
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
        + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
        + "td:first-child{text-align:left}</style>\n</head>\n<body>\n<h1>"
        + escape(title)
        + "</h1>\n"
        + svg
        + table
        + "<p>pass@k: unbiased estimator of Chen et al. (2021); a k is shown only where every"
        + " problem has at least k samples.</p>\n</body>\n</html>\n";
  }

  /** Writes {@code <base>.json} and {@code <base>.html} atomically. */
  public void write(Path jsonFile, Path htmlFile) {
    writeAtomically(jsonFile, toJsonText());
    writeAtomically(htmlFile, toHtml());
  }

  private static void writeAtomically(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InvalidInputException(file + ": cannot be written: " + e.getMessage(), e);
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
