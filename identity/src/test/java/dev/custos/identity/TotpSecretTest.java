package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TotpSecretTest {
  @Test
  void generatedSecret_hasTheAlgorithmsKeySize() {
    assertThat(TotpSecret.generate(TotpAlgorithm.SHA1, new SecureRandom()).revealBytes()).hasSize(20);
    assertThat(TotpSecret.generate(TotpAlgorithm.SHA512, new SecureRandom()).revealBytes()).hasSize(64);
  }

  @Test
  void toString_neverShowsTheKey() {
    TotpSecret secret = TotpSecret.parseBase32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").orThrow();

    assertThat(secret.toString()).isEqualTo("TotpSecret[20 bytes, ***]");
  }

  @Test
  void shortSecrets_areRefused() {
    assertThat(TotpSecret.parseBase32("JBSWY3DPEHPK3PXP")).isEqualTo(Parsed.invalid("TOTP secret must be 16 to 128 bytes, was 10"));
    assertThatThrownBy(() -> TotpSecret.ofBytes(new byte[15])).hasMessageContaining("16 to 128");
  }

  @Test
  void revealedBytes_areACopy() {
    TotpSecret secret = TotpSecret.ofBytes(new byte[20]);
    secret.revealBytes()[0] = 1;

    assertThat(secret.revealBytes()[0]).isZero();
  }

  @Test
  void equalKeys_areEqual() {
    assertThat(TotpSecret.ofBytes(new byte[20])).isEqualTo(TotpSecret.ofBytes(new byte[20]))
        .isNotEqualTo(TotpSecret.ofBytes(new byte[21]));
  }

  @Property
  void anySecret_roundTripsThroughBase32(@ForAll @Size(min = 16, max = 128) byte[] key) {
    TotpSecret secret = TotpSecret.ofBytes(key);

    assertThat(TotpSecret.parseBase32(secret.revealBase32()).orThrow()).isEqualTo(secret);
  }

  @Property(tries = 2000)
  void anyText_parsesToAResultWithoutThrowing(@ForAll String text) {
    assertThat(TotpSecret.parseBase32(text)).isNotNull();
  }
}
