package dev.custos.server;

import java.util.Locale;
import java.util.Map;

/**
 * An incident's customers by data category as an inline SVG bar chart (no script, no style attribute:
 * the CSP allows it), one labelled horizontal bar per category with its count written next to it, so
 * the numbers read without the picture. The table beside it on the page carries the same counts.
 */
final class CategoryChart {
  static final int WIDTH = 640;
  private static final int LABEL = 150;
  private static final int RIGHT = 56;
  private static final int ROW = 26;
  private static final int TOP = 8;
  private static final String BAR = "#0072B2";

  private CategoryChart() {}

  /** The chart of {@code counts} (category name → customers), in the map's order; an empty map draws an empty frame. */
  static String svg(Map<String, Integer> counts, String title) {
    int rows = Math.max(1, counts.size());
    int height = TOP * 2 + rows * ROW;
    int max = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    double plotW = WIDTH - LABEL - RIGHT;
    StringBuilder b = new StringBuilder(1024);
    b.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(height).append("\" role=\"img\" aria-labelledby=\"category-chart-title\"><title id=\"category-chart-title\">")
        .append(InstancePage.esc(title)).append("</title>");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" fill=\"#ffffff\"/>");
    int i = 0;
    for (var e : counts.entrySet()) {
      int n = Math.max(0, e.getValue());
      double y = TOP + i * ROW;
      double w = max == 0 ? 0 : plotW * n / max;
      b.append("<text x=\"").append(LABEL - 8).append("\" y=\"").append(f(y + ROW * 0.62))
          .append("\" font-size=\"12\" text-anchor=\"end\" fill=\"#1f2733\">").append(InstancePage.esc(e.getKey()))
          .append("</text>");
      b.append("<rect x=\"").append(LABEL).append("\" y=\"").append(f(y + 4)).append("\" width=\"")
          .append(f(w)).append("\" height=\"").append(ROW - 8).append("\" fill=\"").append(BAR).append("\"><title>")
          .append(InstancePage.esc(e.getKey())).append(": ").append(n).append(" customer(s)</title></rect>");
      b.append("<text x=\"").append(f(LABEL + w + 6)).append("\" y=\"").append(f(y + ROW * 0.62))
          .append("\" font-size=\"12\" fill=\"#1f2733\">").append(n).append("</text>");
      i++;
    }
    b.append("</svg>");
    return b.toString();
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
