package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicySettingsTest {
  private final PolicySettings s = PolicySettings.defaults();

  @Test
  void defaults_areTheDocumentedOnes() {
    assertThat(s.mfaWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.breakGlassRoles()).containsExactlyInAnyOrder(Role.SUPPORT_L2, Role.FRAUD_ANALYST, Role.SECURITY_ANALYST);
    assertThat(s.minReasonLength()).isEqualTo(10);
    assertThat(s.minReasonLetters()).isEqualTo(3);
  }

  @Test
  void realReasons_areAccepted() {
    assertThat(s.reasonProblem("customer cannot log in after phone change")).isNull();
    assertThat(s.reasonProblem("KYC re-check #4411")).isNull();
    assertThat(s.reasonProblem("Kunde ruft an: Adresse prüfen")).isNull();
  }

  @Test
  void placeholdersAndShortReasons_areRefused() {
    for (String r : new String[] {"n/a", ".", "...", "test", "TEST TEST TEST", "n/a n/a n/a n/a", "xxxxxxxxxxxx",
        "1234567890", "ab ab ab ab ab", "asdf asdf asdf", "          ", "todo-todo-todo"}) {
      assertThat(s.reasonProblem(r)).as(r).isNotNull();
    }
    assertThat(s.reasonProblem(null)).isNotNull();
    assertThat(s.reasonProblem("a".repeat(3) + "b".repeat(500))).contains("at most");
    assertThat(s.reasonProblem("line one\u0000hidden text")).contains("control");
  }

  @Test
  void badSettings_areRefusedNamingTheSetting() {
    assertThatThrownBy(() -> PolicySettings.builder().mfaWindow(Duration.ZERO)).hasMessageContaining("mfaWindow");
    assertThatThrownBy(() -> PolicySettings.builder().mfaWindow(Duration.ofHours(2))).hasMessageContaining("mfaWindow");
    assertThatThrownBy(() -> PolicySettings.builder().maxClockSkew(Duration.ofSeconds(-1)))
        .hasMessageContaining("maxClockSkew");
    assertThatThrownBy(() -> PolicySettings.builder().breakGlassRoles(Set.of(Role.ADMINISTRATOR)))
        .hasMessageContaining("breakGlassRoles").hasMessageContaining("admin");
    assertThatThrownBy(() -> PolicySettings.builder().minReasonLength(0)).hasMessageContaining("minReasonLength");
    assertThatThrownBy(() -> PolicySettings.builder().placeholders(Set.of("N/A"))).hasMessageContaining("placeholders");
    assertThatThrownBy(() -> PolicySettings.builder().minReasonLength(50).maxReasonLength(20).build())
        .hasMessageContaining("maxReasonLength");
    assertThatThrownBy(() -> PolicySettings.builder().minReasonLength(5).minReasonLetters(6).build())
        .hasMessageContaining("minReasonLetters");
    assertThatThrownBy(() -> PolicySettings.builder().searchResultFields(Set.of()).build())
        .hasMessageContaining("searchResultFields");
  }
}
