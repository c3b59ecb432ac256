package dev.custos.server;

import dev.custos.incident.WatermarkCode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The per-session watermark tile that the console lays over every page: an SVG of
 * {@value #TILE_WIDTH}×{@value #TILE_HEIGHT} CSS pixels, repeated over the whole viewport above the
 * content (it lets clicks through), so any photo, screenshot or video of a screen names its session.
 *
 * <p>Two layers:
 * <ul>
 *   <li><b>Visible</b>: the viewer's staff id, the session's {@link WatermarkCode} in large letters and
 *       the time the page was drawn, in low-contrast text.</li>
 *   <li><b>Faint</b>: the code's 40 bits as a grid of dots, one pair of cells per bit (Manchester
 *       style: a dot in the left cell is a 1, in the right cell a 0), so a reader compares two nearby
 *       cells instead of guessing an absolute threshold. Row {@code i / 8}, column {@code i % 8} holds
 *       bit {@code i} (most significant first), starting at ({@value #GRID_X}, {@value #GRID_Y}) with
 *       cells of {@value #CELL} pixels. Every tile carries the whole code, so a reader votes over all
 *       tiles and content drawn under some of them does not decide.</li>
 * </ul>
 * The geometry is public so a reader of pictures (the browser tests, an investigator's tool) decodes
 * with the same numbers the writer drew with.
 */
public final class Watermark {
  public static final int TILE_WIDTH = 360;
  public static final int TILE_HEIGHT = 220;
  public static final int GRID_X = 208;
  public static final int GRID_Y = 160;
  public static final int CELL = 8;
  public static final int COLUMNS = 8;
  public static final int BITS = WatermarkCode.LENGTH * 5;
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Watermark() {}

  /** The 40 bits of a code, most significant first. */
  public static boolean[] bits(String code) {
    if (code.length() != WatermarkCode.LENGTH) {
      throw new IllegalArgumentException("a watermark code has " + WatermarkCode.LENGTH + " characters");
    }
    boolean[] out = new boolean[BITS];
    for (int i = 0; i < code.length(); i++) {
      int v = ALPHABET.indexOf(code.charAt(i));
      if (v < 0) {
        throw new IllegalArgumentException("not a watermark code character at " + i);
      }
      for (int b = 0; b < 5; b++) {
        out[i * 5 + b] = ((v >> (4 - b)) & 1) == 1;
      }
    }
    return out;
  }

  /** The code whose bits these are (the inverse of {@link #bits}). */
  public static String code(boolean[] bits) {
    if (bits.length != BITS) {
      throw new IllegalArgumentException("a watermark code has " + BITS + " bits");
    }
    char[] out = new char[WatermarkCode.LENGTH];
    for (int i = 0; i < out.length; i++) {
      int v = 0;
      for (int b = 0; b < 5; b++) {
        v = (v << 1) | (bits[i * 5 + b] ? 1 : 0);
      }
      out[i] = ALPHABET.charAt(v);
    }
    return new String(out);
  }

  /** The centre x of the cell holding bit {@code i}'s dot when the bit is {@code one} (tile coordinates). */
  public static double cellX(int i, boolean one) {
    int col = i % COLUMNS;
    return GRID_X + (2 * col + (one ? 0 : 1) + 0.5) * CELL;
  }

  /** The centre y of bit {@code i}'s cells (tile coordinates). */
  public static double cellY(int i) {
    return GRID_Y + (i / COLUMNS + 0.5) * CELL;
  }

  /**
   * The tile for a session.
   *
   * @param viewer the staff id (pseudonymous identifier) of the person looking
   * @param sessionHandle the session's handle (its code is what the tile carries)
   * @param at the time drawn into the tile
   */
  static String svg(String viewer, String sessionHandle, Instant at) {
    String code = WatermarkCode.of(sessionHandle);
    String who = InstancePage.esc(viewer);
    String when = TIME.format(at);
    StringBuilder dots = new StringBuilder(BITS * 48);
    boolean[] bits = bits(code);
    for (int i = 0; i < BITS; i++) {
      dots.append("<circle cx=\"").append(fmt(cellX(i, bits[i]))).append("\" cy=\"").append(fmt(cellY(i)))
          .append("\" r=\"2.4\"/>");
    }
    return """
        <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">
        <g fill="#1b2a4a" fill-opacity="0.13" font-family="DejaVu Sans, Verdana, sans-serif">
        <text x="14" y="48" font-size="30" font-weight="bold" letter-spacing="3">%s</text>
        <text x="16" y="78" font-size="15">%s</text>
        <text x="16" y="100" font-size="13">%s</text>
        <text x="16" y="200" font-size="13">%s · %s</text>
        </g>
        <g fill="#000" fill-opacity="0.16">%s</g>
        </svg>
        """.formatted(TILE_WIDTH, TILE_HEIGHT, TILE_WIDTH, TILE_HEIGHT, code, who, when, who, code, dots);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
