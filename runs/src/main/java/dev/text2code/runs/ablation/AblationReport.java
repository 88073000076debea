package dev.text2code.runs.ablation;

import dev.text2code.api.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ablation report: the grid as a table with the best cell marked, the training loss curves
 * overlaid (inline SVG) and the per-problem pass/fail matrix, as one HTML file plus the same
 * numbers as JSON.
 *
 * @param steps the steps every cell trained
 * @param cells every cell's result, in grid order
 */
public record AblationReport(AblationGrid grid, long steps, List<CellResult> cells) {
  /** How {@link #best} chooses, as the report states it. */
  public static final String BEST_RULE =
      "highest pass@1; ties broken by the lower held-out code-token loss, then grid order";

  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22"
  };

  public AblationReport {
    cells = List.copyOf(cells);
    ConfigurationException.require(!cells.isEmpty(), "cells", cells, "at least one cell");
  }

  /** The best cell: {@link #BEST_RULE}. */
  public static CellResult best(List<CellResult> cells) {
    ConfigurationException.require(!cells.isEmpty(), "cells", cells, "at least one cell");
    Comparator<CellResult> order =
        Comparator.comparingDouble(CellResult::passAt1)
            .reversed()
            .thenComparingDouble(
                c -> Double.isNaN(c.heldOutCodeLoss()) ? Double.MAX_VALUE : c.heldOutCodeLoss());
    CellResult best = cells.get(0);
    for (CellResult c : cells) {
      if (order.compare(c, best) < 0) best = c;
    }
    return best;
  }

  /** Writes {@code json} and {@code html}, each atomically. */
  public void write(Path json, Path html) {
    Ablation.writeAtomically(json, Ablation.json().writeValueAsBytesUnchecked(jsonModel()));
    Ablation.writeAtomically(html, html().getBytes(StandardCharsets.UTF_8));
  }

  private Map<String, Object> jsonModel() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("objectives", grid.objectives());
    List<String> separations = new ArrayList<>();
    grid.separations().forEach(s -> separations.add(s.configName()));
    m.put("separations", separations);
    m.put("steps", steps);
    m.put("best", best(cells).cell());
    m.put("best_rule", BEST_RULE);
    m.put("cells", cells);
    return m;
  }

  /** The whole HTML page. */
  public String html() {
    CellResult best = best(cells);
    Set<Integer> ks = new TreeSet<>();
    Set<Integer> incrementalKs = new TreeSet<>();
    for (CellResult c : cells) {
      ks.addAll(c.passAtK().keySet());
      incrementalKs.addAll(c.incrementalMacro().keySet());
    }
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>text2code ablation</title><style>")
        .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}")
        .append("th{background:#eee}td.name{text-align:left}tr.best{background:#fff3b0;")
        .append("font-weight:bold}td.pass{background:#9be59b}td.fail{background:#f3b0b0}")
        .append("</style></head><body>\n");
    h.append("<h1>text2code ablation</h1>\n<p>")
        .append(cells.size())
        .append(" cells (objectives ")
        .append(escape(String.join(", ", grid.objectives())))
        .append(" &times; separations ")
        .append(escape(separationNames()))
        .append("), ")
        .append(steps)
        .append(
            " steps each, same data and seed. Held-out code loss: every cell scored on the"
                + " same held-out pairs with labels on code tokens only. Best cell (&#9733;): ")
        .append(escape(BEST_RULE))
        .append(".</p>\n");
    h.append("<h2>Grid</h2>\n<table id=\"grid\"><tr><th>cell</th><th>objective</th>")
        .append("<th>separation</th><th>steps</th><th>held-out code loss</th><th>code tokens</th>");
    for (int k : ks) h.append("<th>pass@").append(k).append("</th>");
    for (int k : incrementalKs) {
      h.append("<th>incr. macro pass@").append(k).append("</th>");
      h.append("<th>incr. micro pass@").append(k).append("</th>");
    }
    h.append("</tr>\n");
    for (CellResult c : cells) {
      boolean isBest = c.cell().equals(best.cell());
      h.append(isBest ? "<tr class=\"best\">" : "<tr>")
          .append("<td class=\"name\">")
          .append(escape(c.cell()))
          .append(isBest ? " &#9733; best" : "")
          .append("</td><td class=\"name\">")
          .append(escape(c.objective()))
          .append("</td><td class=\"name\">")
          .append(escape(c.separation()))
          .append("</td><td>")
          .append(c.steps())
          .append("</td><td>")
          .append(format(c.heldOutCodeLoss()))
          .append("</td><td>")
          .append(c.heldOutCodeTokens())
          .append("</td>");
      for (int k : ks) h.append("<td>").append(format(c.passAtK().get(k))).append("</td>");
      for (int k : incrementalKs) {
        h.append("<td>").append(format(c.incrementalMacro().get(k))).append("</td>");
        h.append("<td>").append(format(c.incrementalMicro().get(k))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    h.append(
        "<h2>Training loss</h2>\n<p>Each cell's training loss per step, over its own"
            + " objective's labels (so clm curves include text tokens).</p>\n");
    h.append(curves());
    h.append(
        "<h2>Per-problem results</h2>\n<p>Passed samples / samples per problem and cell.</p>\n");
    h.append(matrix());
    h.append("</body></html>\n");
    return h.toString();
  }

  private String separationNames() {
    List<String> names = new ArrayList<>();
    grid.separations().forEach(s -> names.add(s.configName()));
    return String.join(", ", names);
  }

  private String matrix() {
    Set<String> tasks = new LinkedHashSet<>();
    for (CellResult c : cells) c.problems().forEach(p -> tasks.add(p.taskId()));
    StringBuilder h = new StringBuilder("<table id=\"problems\"><tr><th>problem</th>");
    for (CellResult c : cells) h.append("<th>").append(escape(c.cell())).append("</th>");
    h.append("</tr>\n");
    for (String task : tasks) {
      h.append("<tr><td class=\"name\">").append(escape(task)).append("</td>");
      for (CellResult c : cells) {
        CellResult.ProblemOutcome o = c.problemsById().get(task);
        if (o == null) {
          h.append("<td>-</td>");
        } else {
          h.append(o.passed() > 0 ? "<td class=\"pass\">" : "<td class=\"fail\">")
              .append(o.passed())
              .append('/')
              .append(o.samples())
              .append("</td>");
        }
      }
      h.append("</tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  /** The training loss curves of every cell in one SVG. */
  private String curves() {
    int width = 720;
    int height = 360;
    int left = 60;
    int right = 200;
    int top = 20;
    int bottom = 40;
    long maxStep = 1;
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (CellResult c : cells) {
      for (CellResult.CurvePoint p : c.curve()) {
        maxStep = Math.max(maxStep, p.step());
        if (Double.isFinite(p.trainLoss())) {
          lo = Math.min(lo, p.trainLoss());
          hi = Math.max(hi, p.trainLoss());
        }
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    if (hi - lo < 1e-9) hi = lo + 1;
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    StringBuilder s = new StringBuilder();
    s.append(
            String.format(
                Locale.ROOT,
                "<svg id=\"curves\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                    + " height=\"%d\" font-size=\"11\">\n",
                width,
                height))
        .append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\""
                    + " stroke=\"#999\"/>\n",
                left,
                top,
                plotW,
                plotH));
    for (int t = 0; t <= 4; t++) {
      double v = lo + (hi - lo) * t / 4;
      double y = top + plotH - plotH * t / 4;
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
              left - 4,
              y + 4,
              v));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\">0</text><text x=\"%.0f\" y=\"%d\" text-anchor=\"end\">step"
                + " %d</text>\n",
            left,
            height - bottom + 15,
            left + plotW,
            height - bottom + 15,
            maxStep));
    for (int i = 0; i < cells.size(); i++) {
      CellResult c = cells.get(i);
      String colour = COLOURS[i % COLOURS.length];
      StringBuilder pts = new StringBuilder();
      for (CellResult.CurvePoint p : c.curve()) {
        if (!Double.isFinite(p.trainLoss())) continue;
        double x = left + plotW * p.step() / maxStep;
        double y = top + plotH - plotH * (p.trainLoss() - lo) / (hi - lo);
        if (pts.length() > 0) pts.append(' ');
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s points=\"%s\">"
                  + "<title>%s</title></polyline>\n",
              colour,
              i >= COLOURS.length ? " stroke-dasharray=\"4 2\"" : "",
              pts,
              escape(c.cell())));
      double ly = top + 14 * i + 10;
      s.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"%s\""
                  + " stroke-width=\"2\"/><text x=\"%.0f\" y=\"%.1f\">%s</text>\n",
              left + plotW + 10,
              ly,
              left + plotW + 30,
              ly,
              colour,
              left + plotW + 34,
              ly + 4,
              escape(c.cell())));
    }
    return s.append("</svg>\n").toString();
  }

  private static String format(Double v) {
    if (v == null) return "-";
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
