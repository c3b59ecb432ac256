package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class WatermarkCodeTest {
  @Property
  void code_isEightCrockfordCharacters_andReadsBackUnderCaseAndConfusables(
      @ForAll @AlphaChars @StringLength(min = 1, max = 64) String session) {
    String code = WatermarkCode.of(session);
    assertThat(code).matches("[0-9A-HJKMNP-TV-Z]{8}");
    assertThat(WatermarkCode.normalise(code.toLowerCase())).contains(code);
    String spoken = code.substring(0, 4) + "-" + code.substring(4).replace('0', 'O').replace('1', 'l');
    assertThat(WatermarkCode.normalise(spoken)).contains(code);
  }

  @Test
  void code_dependsOnTheSession_andIsStable() {
    assertThat(WatermarkCode.of("s-1")).isEqualTo(WatermarkCode.of("s-1")).isNotEqualTo(WatermarkCode.of("s-2"));
  }

  @Test
  void normalise_refusesWhatCannotBeACode() {
    assertThat(WatermarkCode.normalise("ABC")).isEmpty();
    assertThat(WatermarkCode.normalise("ABCDEFGU")).as("U is not in the alphabet").isEmpty();
    assertThat(WatermarkCode.normalise(null)).isEmpty();
  }
}
