package dev.custos.identity.webauthn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.identity.Parsed;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CredentialIdTest {
  @Test
  void emptyOrOversizedId_isRefused() {
    assertThatThrownBy(() -> CredentialId.of(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialId.of(new byte[CredentialId.MAX_BYTES + 1])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ids_areComparedByContent_andCopiedInAndOut() {
    byte[] bytes = {1, 2, 3};
    CredentialId id = CredentialId.of(bytes);
    bytes[0] = 9;
    id.bytes()[1] = 9;

    assertThat(id).isEqualTo(CredentialId.of(new byte[] {1, 2, 3})).hasSameHashCodeAs(CredentialId.of(new byte[] {1, 2, 3}));
    assertThat(id.base64Url()).isEqualTo("AQID");
    assertThat(id).hasToString("AQID");
  }

  @Test
  void nonCanonicalBase64Url_isRefused() {
    assertThat(CredentialId.parse("AQID")).isEqualTo(Parsed.valid(CredentialId.of(new byte[] {1, 2, 3})));
    assertThat(CredentialId.parse("AQI=")).isInstanceOf(Parsed.Invalid.class);
    assertThat(CredentialId.parse("AQJ")).as("stray low bits").isInstanceOf(Parsed.Invalid.class);
    assertThat(CredentialId.parse("AQ+D")).as("plain base64").isInstanceOf(Parsed.Invalid.class);
    assertThat(CredentialId.parse("")).isInstanceOf(Parsed.Invalid.class);
    assertThat(CredentialId.parse(null)).isInstanceOf(Parsed.Invalid.class);
  }

  @Property
  void anyId_roundTripsThroughItsText(@ForAll @Size(min = 1, max = CredentialId.MAX_BYTES) byte[] bytes) {
    CredentialId id = CredentialId.of(bytes);

    assertThat(CredentialId.parse(id.base64Url())).isEqualTo(Parsed.valid(id));
  }

  @Property
  void anyText_parsesToAResultWithoutThrowing(@ForAll String text) {
    assertThat(CredentialId.parse(text)).isNotNull();
  }
}
