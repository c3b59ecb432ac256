package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Base32Test {
  @Test
  void encode_matchesRfc4648Vectors() {
    String[][] vectors = {{"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
    for (String[] v : vectors) {
      assertThat(Base32.encode(v[0].getBytes(StandardCharsets.US_ASCII))).as(v[0]).isEqualTo(v[1]);
    }
  }

  @Test
  void decode_acceptsLowerCaseAndRfcPadding() {
    assertThat(Base32.decode("mzxw6ytboi======", "x").orThrow()).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void decode_refusesWrongPadding() {
    assertThat(Base32.decode("MZXW6YTBOI=", "x")).isInstanceOf(Parsed.Invalid.class);
    assertThat(Base32.decode("MZXW6YTB========", "x")).isInstanceOf(Parsed.Invalid.class);
  }

  @Test
  void decode_refusesLengthsNoByteStringHas() {
    assertThat(Base32.decode("MZX", "x")).isInstanceOf(Parsed.Invalid.class);
    assertThat(Base32.decode("M", "x")).isInstanceOf(Parsed.Invalid.class);
  }

  @Test
  void decode_refusesNonZeroLeftoverBits() {
    assertThat(Base32.decode("MZ", "x")).isInstanceOf(Parsed.Invalid.class); // "MY" is the canonical "f"
  }

  @Test
  void decode_refusesCharactersOutsideTheAlphabet() {
    assertThat(Base32.decode("MZXW1YTB", "secret"))
        .isEqualTo(Parsed.invalid("secret may only contain the base32 letters A-Z and 2-7"));
  }

  @Property
  void anyBytes_roundTrip(@ForAll byte[] bytes) {
    assertThat(Base32.decode(Base32.encode(bytes), "x").orThrow()).isEqualTo(bytes);
  }

  @Property
  void anyText_decodesToAResultWithoutThrowing(@ForAll String text) {
    assertThat(Base32.decode(text, "x")).isNotNull();
  }
}
