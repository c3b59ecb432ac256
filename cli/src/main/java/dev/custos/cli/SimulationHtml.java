package dev.custos.cli;

import dev.custos.sim.Report;
import dev.custos.sim.Scenario;
import java.util.List;
import java.util.Locale;

/**
 * The HTML report of {@code custos simulate}: one self-contained page, charts as inline SVG, no
 * script and nothing fetched, under its own Content-Security-Policy ({@code default-src 'none'}),
 * so it can be mailed, archived or served from anywhere.
 */
final class SimulationHtml {
  private static final String[] PALETTE = {"#d62728", "#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
      "#bcbd22", "#2ca02c"};
  private static final int WIDTH = 900;
  private static final int HEIGHT = 340;
  private static final int LEFT = 56;
  private static final int RIGHT = 16;
  private static final int TOP = 12;
  private static final int BOTTOM = 36;

  private SimulationHtml() {}

  static String render(List<Report> reports) {
    Report first = reports.getFirst();
    String seeds = String.join(", ", reports.stream().map(r -> Long.toString(r.seed())).toList());
    StringBuilder h = new StringBuilder();
    h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>Custos simulation: ").append(first.agents()).append(" agents, ").append(first.days())
        .append(" days, seed").append(reports.size() > 1 ? "s " : " ").append(esc(seeds)).append("</title>\n")
        .append("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;"
            + "margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child"
            + "{text-align:left}.miss{color:#b00;font-weight:bold}.ok{color:#070}svg text{font:12px system-ui,sans-serif}"
            + "</style>\n</head>\n<body>\n");
    h.append("<h1>Custos simulation</h1>\n<p>").append(first.agents()).append(" agents, ").append(first.days())
        .append(" days, seed").append(reports.size() > 1 ? "s " : " ").append(esc(seeds))
        .append(". One insider per scenario (two for the colluding pair) among honest agents, against the real detection "
            + "engine. <em>Records</em> are distinct real customers an insider saw before containment. Targets from issue 6: "
            + "at most 10 for the fast attacks, at most 50 for the slow ones, none after a decoy is touched.</p>\n");
    scenarioTable(h, reports);
    benignTable(h, reports);
    for (Report r : reports) {
      chart(h, r);
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  static int target(Scenario s) {
    return switch (s) {
      case SMASH_AND_GRAB, VIP_TARGETING, STOLEN_SESSION, SEARCH_ENUMERATION -> 10;
      case LOW_AND_SLOW, TICKET_FABRICATION, COLLUDING_PAIR -> 50;
      case DECOY_TOUCH -> 0;
    };
  }

  private static void scenarioTable(StringBuilder h, List<Report> reports) {
    h.append("<h2>Records before containment, per scenario</h2>\n<table>\n<tr><th>scenario</th>");
    for (Report r : reports) {
      h.append("<th>seed ").append(r.seed()).append("</th>");
    }
    if (reports.size() > 1) {
      h.append("<th>median</th><th>worst</th>");
    }
    h.append("<th>target</th></tr>\n");
    List<SimulationSummary.Row> rows = SimulationSummary.rows(reports);
    for (SimulationSummary.Row row : rows) {
      Scenario s = row.scenario();
      h.append("<tr><td>").append(esc(s.wireName())).append("</td>");
      for (Report r : reports) {
        Report.Outcome o = r.scenarios().stream().filter(x -> x.scenario() == s).findFirst().orElseThrow();
        boolean met = s == Scenario.DECOY_TOUCH ? o.recordsAfterDecoy() <= 0 : o.recordsBeforeContainment() <= target(s);
        h.append("<td class=\"").append(met && o.contained() ? "ok" : "miss").append("\">")
            .append(o.recordsBeforeContainment())
            .append(o.contained() ? String.format(Locale.ROOT, " in %s", duration(o.secondsToContainment())) : " (not contained)")
            .append(s == Scenario.DECOY_TOUCH && o.recordsAfterDecoy() >= 0 ? ", " + o.recordsAfterDecoy() + " after the decoy" : "")
            .append("</td>");
      }
      if (reports.size() > 1) {
        h.append("<td>").append(row.medianRecords()).append("</td><td>").append(row.worstRecords()).append("</td>");
      }
      h.append("<td>").append(s == Scenario.DECOY_TOUCH ? "0 after the decoy" : "&le; " + target(s)).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void benignTable(StringBuilder h, List<Report> reports) {
    h.append("<h2>Benign desk</h2>\n<table>\n<tr><th>seed</th><th>agent-days</th><th>false containments</th>"
        + "<th>per 10,000 agent-days</th><th>alerts</th><th>true positive</th><th>precision</th></tr>\n");
    for (Report r : reports) {
      Report.Benign b = r.benign();
      h.append("<tr><td>").append(r.seed()).append("</td><td>").append(b.agentDays()).append("</td><td class=\"")
          .append(b.falseContainmentsPer10k() <= 1 ? "ok" : "miss").append("\">").append(b.falseContainments())
          .append("</td><td>").append(String.format(Locale.ROOT, "%.2f", b.falseContainmentsPer10k())).append("</td><td>")
          .append(b.alerts()).append("</td><td>").append(b.truePositiveAlerts()).append("</td><td class=\"")
          .append(b.alertPrecision() >= 0.9 ? "ok" : "miss").append("\">")
          .append(String.format(Locale.ROOT, "%.2f", b.alertPrecision())).append("</td></tr>\n");
    }
    h.append("</table>\n<p>Targets: at most 1 false containment per 10,000 agent-days; alert precision at least 0.9.</p>\n");
  }

  private static void chart(StringBuilder h, Report r) {
    Report.Risk risk = r.risk();
    int days = r.days();
    h.append("<h2>Risk over time, seed ").append(r.seed()).append("</h2>\n");
    if (risk.attackers().isEmpty() || risk.benignMedian().size() != days) {
      h.append(r.mode() == Report.Mode.BROKER
          ? "<p>No risk series: through the broker, the detector runs inside Custos and only its alerts are read.</p>\n"
          : "<p>No risk series in this report.</p>\n");
      return;
    }
    double top = Math.max(risk.suspendThreshold() * 1.2, 1);
    double highest = 0;
    for (Report.AttackerRisk a : risk.attackers()) {
      for (double v : a.daily()) {
        highest = Double.isFinite(v) ? Math.max(highest, v) : highest;
      }
    }
    for (double v : risk.benignMax()) {
      highest = Double.isFinite(v) ? Math.max(highest, v) : highest;
    }
    top = niceCeiling(Math.min(Math.max(top, highest * 1.05), Math.max(risk.suspendThreshold() * 3, 1)));
    Scale sc = new Scale(days, top);
    h.append("<svg role=\"img\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ")
        .append(WIDTH).append(' ').append(HEIGHT).append("\">\n<title>Daily peak risk of each insider against benign agents, seed ")
        .append(r.seed()).append("</title>\n");
    // axes and grid
    for (int i = 0; i <= 4; i++) {
      double v = top * i / 4;
      double y = sc.y(v);
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4, number(v)));
    }
    int step = Math.max(1, days / 10);
    for (int d = 0; d < days; d += step) {
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", sc.x(d),
          HEIGHT - BOTTOM + 16, d + 1));
    }
    h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">day</text>\n",
        (LEFT + WIDTH - RIGHT) / 2, HEIGHT - 4));
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", LEFT,
        HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
    // benign: the band from median to 95th percentile, and the maximum dashed
    StringBuilder band = new StringBuilder();
    for (int d = 0; d < days; d++) {
      band.append(String.format(Locale.ROOT, "%.1f,%.1f ", sc.x(d), sc.y(risk.benignP95().get(d))));
    }
    for (int d = days - 1; d >= 0; d--) {
      band.append(String.format(Locale.ROOT, "%.1f,%.1f ", sc.x(d), sc.y(risk.benignMedian().get(d))));
    }
    h.append("<polygon fill=\"#bbb\" fill-opacity=\"0.5\" stroke=\"none\" points=\"").append(band.toString().strip()).append("\"/>\n");
    h.append("<polyline fill=\"none\" stroke=\"#888\" stroke-dasharray=\"4 3\" points=\"").append(points(sc, risk.benignMax()))
        .append("\"/>\n");
    // thresholds
    threshold(h, sc, risk.alertThreshold(), "alert");
    threshold(h, sc, risk.suspendThreshold(), "suspend");
    // insiders
    for (int i = 0; i < risk.attackers().size(); i++) {
      Report.AttackerRisk a = risk.attackers().get(i);
      String colour = PALETTE[i % PALETTE.length];
      int from = Math.max(0, a.startDay() - 1);
      int to = Math.min(a.daily().size(), Math.max(from + 1, (a.containedDay() >= 0 ? a.containedDay() : days - 1) + 1));
      h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
          .append(points(sc, a.daily().subList(from, to), from))
          .append("\"><title>").append(esc(a.scenario().wireName() + " (" + a.staff() + ")")).append("</title></polyline>\n");
      if (a.containedDay() >= 0) {
        h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n", sc.x(a.containedDay()),
            sc.y(a.daily().get(a.containedDay())), colour));
      }
    }
    h.append("</svg>\n<table>\n<tr><th>line</th><th>insider</th><th>attack from day</th><th>contained on day</th></tr>\n");
    for (int i = 0; i < risk.attackers().size(); i++) {
      Report.AttackerRisk a = risk.attackers().get(i);
      h.append("<tr><td><svg width=\"24\" height=\"10\"><rect width=\"24\" height=\"10\" fill=\"").append(PALETTE[i % PALETTE.length])
          .append("\"/></svg> ").append(esc(a.scenario().wireName())).append("</td><td>").append(esc(a.staff())).append("</td><td>")
          .append(a.startDay() + 1).append("</td><td>").append(a.containedDay() >= 0 ? Integer.toString(a.containedDay() + 1) : "not contained")
          .append("</td></tr>\n");
    }
    h.append("</table>\n<p>Each insider's line runs from the day before their attack to the day they were contained (dot). "
        + "Grey band: the median to the 95th percentile of ").append(risk.benignSampled())
        .append(" benign agents' daily peak risk; dashed: their maximum. Values above the chart are drawn at its top.</p>\n");
  }

  private static void threshold(StringBuilder h, Scale sc, double value, String label) {
    if (value <= 0 || value > sc.top) {
      return;
    }
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#444\" stroke-dasharray=\"2 4\"/>"
        + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s %s</text>\n", LEFT, sc.y(value), WIDTH - RIGHT, sc.y(value),
        WIDTH - RIGHT - 4, sc.y(value) - 4, label, number(value)));
  }

  private static String points(Scale sc, List<Double> values) {
    return points(sc, values, 0);
  }

  private static String points(Scale sc, List<Double> values, int firstDay) {
    StringBuilder p = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", sc.x(firstDay + i), sc.y(values.get(i))));
    }
    return p.toString().strip();
  }

  /** Days and risk to pixels; values above the top (or not finite) are drawn at the top. */
  private record Scale(int days, double top) {
    double x(int day) {
      return LEFT + (double) day * (WIDTH - LEFT - RIGHT) / Math.max(1, days - 1);
    }

    double y(double v) {
      double c = Double.isNaN(v) ? 0 : Math.max(0, Math.min(top, v));
      return HEIGHT - BOTTOM - c * (HEIGHT - BOTTOM - TOP) / top;
    }
  }

  static double niceCeiling(double v) {
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= v) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String duration(double seconds) {
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 7200) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    if (seconds < 172_800) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
    return String.format(Locale.ROOT, "%.1f days", seconds / 86_400);
  }

  /** HTML text and attribute escaping. */
  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
  }
}
