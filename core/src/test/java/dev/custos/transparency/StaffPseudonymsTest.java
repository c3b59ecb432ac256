package dev.custos.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class StaffPseudonymsTest {
  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @Property(tries = 300)
  void pseudonym_isStable_shaped_andNeverTheStaffId(@ForAll @AlphaChars @StringLength(min = 1, max = 40) String id) {
    StaffPseudonyms p = StaffPseudonyms.withKey(KEY);
    String name = p.of(new StaffId(id.toLowerCase()));
    assertThat(name).matches("Agent [0-9A-HJKMNP-TV-Z]{6}").isEqualTo(StaffPseudonyms.withKey(KEY).of(new StaffId(id.toLowerCase())));
  }

  @Test
  void anotherKey_givesOtherNames() {
    byte[] other = KEY.clone();
    other[0] ^= 1;
    StaffId alice = new StaffId("alice");
    assertThat(StaffPseudonyms.withKey(other).of(alice)).isNotEqualTo(StaffPseudonyms.withKey(KEY).of(alice));
  }

  @Test
  void thousandStaff_haveAtMostAFewCollisions() {
    StaffPseudonyms p = StaffPseudonyms.withKey(KEY);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      names.add(p.of(new StaffId("agent-" + i)));
    }
    assertThat(names.size()).isGreaterThanOrEqualTo(998);
  }

  @Test
  void shortKey_isRefused_andToStringHidesTheKey() {
    assertThatThrownBy(() -> StaffPseudonyms.withKey(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    assertThat(StaffPseudonyms.withKey(KEY).toString()).doesNotContain("0123");
  }
}
