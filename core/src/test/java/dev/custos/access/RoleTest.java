package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {
  @Test
  void everyRoleParsesFromItsWireName() {
    for (Role r : Role.values()) {
      assertThat(Role.parse(r.wireName())).isEqualTo(r);
      assertThat(Role.parse(" " + r.wireName().toUpperCase() + " ")).isEqualTo(r);
    }
  }

  @Test
  void anUnknownRoleIsRefusedWithTheAcceptedNames() {
    assertThatThrownBy(() -> Role.parse("root"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("support-l1").hasMessageContaining("security-analyst");
    assertThatThrownBy(() -> Role.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
