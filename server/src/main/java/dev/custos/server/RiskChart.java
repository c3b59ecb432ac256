package dev.custos.server;

import dev.custos.access.StaffId;
import dev.custos.detect.Assessment;
import dev.custos.detect.DetectionPolicy;
import dev.custos.detect.Measure;
import dev.custos.detect.TrackedAlert;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The risk board's chart: each person's risk over the current UTC day as an inline SVG line (no
 * script, no style attribute: the CSP allows it). The points are the risks of the day's alerts (what
 * detection recorded when it acted) and each person's current assessment at "now"; between them the
 * line is straight (it starts at the person's first point of the day), so the chart shows when risk
 * crossed a threshold, not every request.
 */
record RiskChart(String svg, List<String> legend) {
  static final int WIDTH = 720;
  static final int HEIGHT = 260;
  private static final int LEFT = 64;
  private static final int RIGHT = 12;
  private static final int TOP = 14;
  private static final int BOTTOM = 30;
  /** Colour-blind-safe (Okabe–Ito), dark enough against white for lines. */
  private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

  static RiskChart of(List<TrackedAlert> alerts, Map<StaffId, Assessment> current, Instant now, DetectionPolicy policy) {
    Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
    Instant dayEnd = dayStart.plus(Duration.ofDays(1));
    Map<String, List<double[]>> series = new TreeMap<>();
    double top = policy.threshold(Measure.SUSPEND) * 1.2;
    for (TrackedAlert t : alerts) {
      Instant at = t.alert().raisedAt();
      if (at.isBefore(dayStart) || at.isAfter(now)) {
        continue;
      }
      double risk = t.alert().assessment().risk();
      series.computeIfAbsent(t.alert().staff().value(), k -> new ArrayList<>()).add(new double[] {millis(dayStart, at), risk});
      top = Math.max(top, risk * 1.05);
    }
    for (Assessment a : current.values()) {
      if (a.risk() <= 0 && !series.containsKey(a.staff().value())) {
        continue;
      }
      series.computeIfAbsent(a.staff().value(), k -> new ArrayList<>()).add(new double[] {millis(dayStart, now), a.risk()});
      top = Math.max(top, a.risk() * 1.05);
    }
    double span = millis(dayStart, dayEnd);
    StringBuilder b = new StringBuilder(4096);
    b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(HEIGHT).append("\" role=\"img\" aria-labelledby=\"chart-title\"><title id=\"chart-title\">Risk per person "
            + "over today (UTC); dashed lines: alert and suspend thresholds</title>");
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    b.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(f(plotW))
        .append("\" height=\"").append(f(plotH)).append("\" fill=\"#ffffff\" stroke=\"#8a94a6\"/>");
    for (int h = 0; h <= 24; h += 3) {
      double x = LEFT + plotW * h / 24.0;
      b.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(x)).append("\" y2=\"")
          .append(f(TOP + plotH)).append("\" stroke=\"#e3e7ee\"/>");
      b.append("<text x=\"").append(f(x)).append("\" y=\"").append(HEIGHT - 10).append("\" font-size=\"11\" "
          + "text-anchor=\"middle\" fill=\"#3b4556\">").append(String.format(Locale.ROOT, "%02d:00", h)).append("</text>");
    }
    for (Measure m : new Measure[] {Measure.ALERT, Measure.SUSPEND}) {
      double y = TOP + plotH * (1 - policy.threshold(m) / top);
      b.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(f(LEFT + plotW))
          .append("\" y2=\"").append(f(y)).append("\" stroke=\"").append(m == Measure.SUSPEND ? "#b00020" : "#8a5a00")
          .append("\" stroke-dasharray=\"6 4\"/><text x=\"").append(LEFT - 4).append("\" y=\"").append(f(y + 4))
          .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#3b4556\">").append(m.wireName()).append("</text>");
    }
    List<String> legend = new ArrayList<>();
    int i = 0;
    for (var e : series.entrySet()) {
      String colour = COLOURS[i % COLOURS.length];
      List<double[]> points = e.getValue();
      points.sort((p, q) -> Double.compare(p[0], q[0]));
      StringBuilder pts = new StringBuilder();
      for (double[] p : points) {
        double x = LEFT + plotW * p[0] / span;
        double y = TOP + plotH * (1 - p[1] / top);
        pts.append(f(x)).append(',').append(f(y)).append(' ');
      }
      b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
          .append(pts.toString().strip()).append("\"><title>").append(InstancePage.esc(e.getKey())).append("</title></polyline>");
      for (double[] p : points) {
        b.append("<circle r=\"3\" fill=\"").append(colour).append("\" cx=\"").append(f(LEFT + plotW * p[0] / span))
            .append("\" cy=\"").append(f(TOP + plotH * (1 - p[1] / top))).append("\"/>");
      }
      legend.add(e.getKey() + " (" + colourName(i) + ")");
      i++;
    }
    b.append("</svg>");
    return new RiskChart(b.toString(), legend);
  }

  private static String colourName(int i) {
    return switch (i % COLOURS.length) {
      case 0 -> "blue";
      case 1 -> "vermilion";
      case 2 -> "green";
      case 3 -> "pink";
      case 4 -> "orange";
      case 5 -> "sky blue";
      default -> "black";
    };
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
