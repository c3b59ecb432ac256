package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  private final PasswordPolicy policy = PasswordPolicy.DEFAULT;

  private PasswordPolicy.Verdict check(String username, String password) {
    try (Password p = Password.copyOf(password.toCharArray())) {
      return policy.check(username, p);
    }
  }

  private static PasswordPolicy.Unacceptable refused(PasswordPolicy.Reason reason) {
    return new PasswordPolicy.Unacceptable(reason);
  }

  @Test
  void passphrase_isAcceptable() {
    assertThat(check("agent-17", "marmot cinnamon velvet harbour")).isEqualTo(new PasswordPolicy.Acceptable());
  }

  @Test
  void elevenCharacters_areTooShort_twelveAreEnough() {
    assertThat(check("agent-17", "tq8#vLp2wz0")).isEqualTo(refused(PasswordPolicy.Reason.TOO_SHORT));
    assertThat(check("agent-17", "tq8#vLp2wz0m")).isEqualTo(new PasswordPolicy.Acceptable());
  }

  @Test
  void compositionIsNotRequired() {
    assertThat(check("agent-17", "only lower case letters here")).isEqualTo(new PasswordPolicy.Acceptable());
  }

  @Test
  void moreThan128CodePoints_areTooLong() {
    assertThat(check("agent-17", "ab3".repeat(43))).isEqualTo(refused(PasswordPolicy.Reason.TOO_LONG));
  }

  @Test
  void emoji_countOnceEach() {
    assertThat(check("agent-17", "🔑🐢🌵🎈🍋🚲🧲🪁🦉🎻🧊🪐")).isEqualTo(new PasswordPolicy.Acceptable());
    assertThat(check("agent-17", "🔑🐢🌵🎈🍋🚲🧲🪁🦉🎻🧊")).isEqualTo(refused(PasswordPolicy.Reason.TOO_SHORT));
  }

  @Test
  void theUsername_inAnyCase_isRefused() {
    assertThat(check("agent-17", "my name is AGENT-17 ok")).isEqualTo(refused(PasswordPolicy.Reason.CONTAINS_USERNAME));
  }

  @Test
  void wellKnownPasswords_areRefused() {
    assertThat(check("agent-17", "Password1234")).isEqualTo(refused(PasswordPolicy.Reason.TOO_COMMON));
    assertThat(check("agent-17", "1q2w3e4r5t6y")).isEqualTo(refused(PasswordPolicy.Reason.TOO_COMMON));
  }

  @Test
  void contextWordsPaddedWithDigitsAndSymbols_areRefused() {
    assertThat(check("agent-17", "!!Custos2026!!")).isEqualTo(refused(PasswordPolicy.Reason.TOO_COMMON));
    assertThat(check("agent-17", "Welcome-2026-#1")).isEqualTo(refused(PasswordPolicy.Reason.TOO_COMMON));
  }

  @Test
  void repeatedUnits_areRefused() {
    assertThat(check("agent-17", "aaaaaaaaaaaaaaa")).isEqualTo(refused(PasswordPolicy.Reason.REPETITIVE));
    assertThat(check("agent-17", "abcdabcdabcdabcd")).isEqualTo(refused(PasswordPolicy.Reason.REPETITIVE));
  }

  @Test
  void sequences_areRefused() {
    assertThat(check("agent-17", "lmnopqrstuvw")).isEqualTo(refused(PasswordPolicy.Reason.REPETITIVE));
    assertThat(check("agent-17", "7890123456789")).isEqualTo(refused(PasswordPolicy.Reason.REPETITIVE));
    assertThat(check("agent-17", "zyxwvutsrqpo")).isEqualTo(refused(PasswordPolicy.Reason.REPETITIVE));
  }

  @Test
  void weakSettings_areRefused() {
    assertThatThrownBy(() -> new PasswordPolicy(7, 128)).hasMessageContaining("minLength");
    assertThatThrownBy(() -> new PasswordPolicy(12, 63)).hasMessageContaining("maxLength");
    assertThatThrownBy(() -> new PasswordPolicy(100, 64)).hasMessageContaining("exceeds");
  }

  @Property
  void anythingShorterThanTheMinimum_isTooShort(@ForAll @StringLength(max = 11) String password) {
    try (Password p = Password.copyOf(password.toCharArray())) {
      // NFKC can lengthen text (a ligature becomes several letters), so measure what the policy measures.
      if (p.length() < 12) {
        assertThat(policy.check("agent-17", p)).isEqualTo(refused(PasswordPolicy.Reason.TOO_SHORT));
      }
    }
  }

  @Property
  void anyInput_getsAVerdictWithoutThrowing(@ForAll @StringLength(max = 200) String password, @ForAll String username) {
    try (Password p = Password.copyOf(password.toCharArray())) {
      assertThat(policy.check(username, p)).isNotNull();
    }
  }
}
