package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.incident.WatermarkCode;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class WatermarkTest {
  private static final Pattern DOT = Pattern.compile("<circle cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"");

  @Property
  void bitsAndCode_areInverse_forEveryCode(@ForAll @StringLength(min = 1, max = 64) String handle) {
    String code = WatermarkCode.of(handle);
    assertThat(Watermark.code(Watermark.bits(code))).isEqualTo(code);
  }

  @Property
  void theTileDrawsEveryBitInTheCellItsValueNames(@ForAll @StringLength(min = 1, max = 64) String handle) {
    String svg = Watermark.svg("alice-agent", handle, Instant.parse("2026-11-21T10:45:00Z"));
    boolean[] bits = Watermark.bits(WatermarkCode.of(handle));
    Matcher m = DOT.matcher(svg);
    boolean[] read = new boolean[Watermark.BITS];
    int i = 0;
    while (m.find()) {
      double x = Double.parseDouble(m.group(1));
      double y = Double.parseDouble(m.group(2));
      assertThat(y).isEqualTo(Watermark.cellY(i));
      assertThat(x).isIn(Watermark.cellX(i, true), Watermark.cellX(i, false));
      read[i] = x == Watermark.cellX(i, true);
      i++;
    }
    assertThat(i).isEqualTo(Watermark.BITS);
    assertThat(read).isEqualTo(bits);
  }

  @Test
  void theVisibleLayer_namesTheViewerTheCodeAndTheTime_escaped() {
    String svg = Watermark.svg("o'brien<script>", "session-handle-1", Instant.parse("2026-11-21T10:45:00Z"));
    assertThat(svg).contains(WatermarkCode.of("session-handle-1"), "2026-11-21 10:45 UTC", "o&#39;brien&lt;script&gt;")
        .doesNotContain("<script>");
  }

  @Test
  void theDotGrid_staysInsideTheTile() {
    assertThat(Watermark.cellX(Watermark.COLUMNS - 1, false) + Watermark.CELL / 2.0).isLessThanOrEqualTo(Watermark.TILE_WIDTH);
    assertThat(Watermark.cellY(Watermark.BITS - 1) + Watermark.CELL / 2.0).isLessThanOrEqualTo(Watermark.TILE_HEIGHT);
  }

  @Test
  void aCodeOfTheWrongShape_isRefused() {
    assertThatThrownBy(() -> Watermark.bits("ABC")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Watermark.bits("ABCDEFGU")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Watermark.code(new boolean[3])).isInstanceOf(IllegalArgumentException.class);
  }
}
