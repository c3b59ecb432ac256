package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The incident screens' small pieces: the form's times and the category chart. */
class ConsoleFormsTest {
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC);

  @Property
  void aDatetimeLocalValue_isReadAsThatMinuteInUtc(@ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds) {
    Instant minute = Instant.ofEpochSecond(seconds).truncatedTo(ChronoUnit.MINUTES);
    assertThat(Instant.parse(ConsoleRoutes.formInstant(LOCAL.format(minute)))).isEqualTo(minute);
  }

  @Property
  void anIsoInstant_isPassedOnUnchanged(@ForAll @LongRange(min = 0, max = 4_000_000_000L) long seconds) {
    String iso = Instant.ofEpochSecond(seconds).toString();
    assertThat(ConsoleRoutes.formInstant(" " + iso + " ")).isEqualTo(iso);
  }

  @Property
  void anyText_isNeverAnErrorHere_butPassedOnForTheApisCheckToName(@ForAll @StringLength(max = 40) String text) {
    String out = ConsoleRoutes.formInstant(text);
    assertThat(out).isNotNull();
    if (!out.equals(text.strip())) {
      assertThat(Instant.parse(out)).isNotNull(); // only a datetime-local value is completed, and it parses
    }
  }

  @Test
  void aMissingTime_staysMissing() {
    assertThat(ConsoleRoutes.formInstant(null)).isNull();
  }

  @Property
  void theChart_hasOneBarPerCategory_withItsCountWritten_andEscapesNames(
      @ForAll @Size(max = 12) Map<@StringLength(min = 1, max = 20) String, @IntRange(min = 0, max = 100_000) Integer> counts) {
    Map<String, Integer> ordered = new LinkedHashMap<>(counts);
    String svg = CategoryChart.svg(ordered, "Customers <by> category");
    assertThat(svg).startsWith("<svg ").endsWith("</svg>").contains("&lt;by&gt;").doesNotContain("style=");
    int bars = svg.split("<rect ", -1).length - 2; // minus the background
    assertThat(bars).isEqualTo(ordered.size());
    ordered.forEach((name, n) -> assertThat(svg).contains(InstancePage.esc(name) + ": " + n + " customer(s)"));
  }
}
