package dev.custos.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CustomerId;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CommitmentTest {
  private static final String HEX = "0123456789abcdef".repeat(4);

  private static byte[] salt() {
    byte[] b = new byte[CommitmentSalt.LENGTH];
    new SecureRandom().nextBytes(b);
    return b;
  }

  @Test
  void parse_readsWhatHexWrites() {
    Commitment c = Commitment.of(CommitmentSalt.fromBytes(salt()), new CustomerId("cust-1"));
    assertThat(Commitment.parse(c.hex())).isEqualTo(c);
    assertThat(Commitment.parse(HEX).hex()).isEqualTo(HEX);
  }

  @Test
  void parse_refusesAnythingButSixtyFourLowerCaseHexDigits() {
    for (String bad : new String[] {HEX.toUpperCase(java.util.Locale.ROOT), HEX.substring(1), HEX + "0",
        HEX.substring(1) + "g", HEX.substring(1) + " ", "", HEX.substring(1) + "\u0660"}) {
      assertThatThrownBy(() -> Commitment.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a commitment is 64 lower-case hex digits");
    }
    assertThatThrownBy(() -> Commitment.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
