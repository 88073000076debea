package dev.text2code.runs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the loss log ({@code TrainingLoop.LOG_HEADER} columns) as a self-contained SVG a browser
 * opens.
 */
public final class LossPlot {
  private LossPlot() {}

  public static void write(Path lossLog, Path svgFile, String title) throws IOException {
    List<double[]> train = new ArrayList<>();
    List<double[]> eval = new ArrayList<>();
    for (String line : Files.readAllLines(lossLog, StandardCharsets.UTF_8)) {
      String[] f = line.split(",", -1);
      if (f.length < 3 || !f[0].matches("\\d+")) continue;
      double step = Double.parseDouble(f[0]);
      train.add(new double[] {step, Double.parseDouble(f[1])});
      if (!f[2].isEmpty()) eval.add(new double[] {step, Double.parseDouble(f[2])});
    }
    int width = 720;
    int height = 360;
    int left = 60;
    int right = 20;
    int top = 40;
    int bottom = 40;
    double maxStep = 1;
    double minLoss = Double.MAX_VALUE;
    double maxLoss = -Double.MAX_VALUE;
    for (List<double[]> series : List.of(train, eval)) {
      for (double[] p : series) {
        maxStep = Math.max(maxStep, p[0]);
        if (Double.isFinite(p[1])) {
          minLoss = Math.min(minLoss, p[1]);
          maxLoss = Math.max(maxLoss, p[1]);
        }
      }
    }
    if (minLoss > maxLoss) {
      minLoss = 0;
      maxLoss = 1;
    }
    if (maxLoss - minLoss < 1e-9) maxLoss = minLoss + 1;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                + " font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
            width,
            height));
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"24\" font-size=\"15\">%s</text>%n",
            left,
            escape(title)));
    int plotW = width - left - right;
    int plotH = height - top - bottom;
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            left,
            top,
            plotW,
            plotH));
    for (int i = 0; i <= 4; i++) {
      double v = minLoss + (maxLoss - minLoss) * i / 4;
      double y = top + plotH - plotH * i / 4.0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.3f</text>%n",
              left - 6,
              y + 4,
              v));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step (max %d)</text>%n",
            left + plotW / 2,
            height - 10,
            (long) maxStep));
    String[] colors = {"#1f77b4", "#d62728"};
    String[] names = {"train loss", "held-out loss"};
    List<List<double[]>> all = List.of(train, eval);
    for (int s = 0; s < 2; s++) {
      StringBuilder points = new StringBuilder();
      for (double[] p : all.get(s)) {
        if (!Double.isFinite(p[1])) continue;
        double x = left + plotW * p[0] / maxStep;
        double y = top + plotH - plotH * (p[1] - minLoss) / (maxLoss - minLoss);
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
              colors[s],
              points.toString().strip()));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>%n",
              width - right - 120,
              top + 16 + 16 * s,
              colors[s],
              names[s]));
    }
    svg.append("</svg>\n");
    Path temp = svgFile.resolveSibling(svgFile.getFileName() + ".tmp");
    Files.writeString(temp, svg, StandardCharsets.UTF_8);
    Files.move(temp, svgFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
