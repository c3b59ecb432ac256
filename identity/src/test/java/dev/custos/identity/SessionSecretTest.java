package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SessionSecretTest {
  @Test
  void parse_acceptsWhatRandomIssues() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      SessionSecret s = SessionSecret.random(random);
      assertThat(SessionSecret.parse(s.reveal())).hasValueSatisfying(p -> assertThat(p.reveal()).isEqualTo(s.reveal()));
    }
    assertThat(SessionSecret.parse("AZaz09_-".repeat(5) + "abc")).isPresent();
  }

  @Test
  void parse_refusesAnyOtherFormWithoutThrowing() {
    String ok = "A".repeat(43);
    for (String bad : new String[] {null, "", ok.substring(1), ok + "A", ok.substring(1) + "+", ok.substring(1) + "/",
        ok.substring(1) + "=", ok.substring(1) + " ", ok.substring(1) + "\u00e9", ok.substring(1) + "\u0661"}) {
      assertThat(SessionSecret.parse(bad)).as(String.valueOf(bad)).isEmpty();
    }
  }
}
