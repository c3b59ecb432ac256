package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Action;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeTest {
  static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
  static final StaffId EVE = new StaffId("eve");
  static final StaffId BOB = new StaffId("bob");

  static Commitment customer(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    return Commitment.fromBytes(b);
  }

  static Access access(long index, int minute, StaffId staff, int customer, Map<String, String> fields) {
    return new Access(index, T0.plusSeconds(60L * minute), staff, "s-" + staff, Action.VIEW, customer(customer),
        "ticket", Optional.of("T-" + index), fields);
  }

  MemoryAccessIndex index() {
    MemoryAccessIndex index = new MemoryAccessIndex();
    index.add(access(0, 0, EVE, 1, Map.of("email", "partial-email", "name", "initial")));
    index.add(access(1, 5, BOB, 2, Map.of("email", "partial-email")));
    index.add(access(2, 10, EVE, 1, Map.of("phone", "none")));
    index.add(access(3, 20, EVE, 3, Map.of("bank_account", "last-4")));
    index.add(access(4, 90, EVE, 4, Map.of("email", "none")));
    index.cover(7);
    return index;
  }

  @Test
  void scope_groupsTheWindowsAccessesByCustomer_revealedWinsOverMasked() {
    Scope scope = Scope.of(index(), Set.of(EVE), T0, T0.plusSeconds(3600));
    assertThat(scope.accesses()).isEqualTo(3);
    assertThat(scope.coveredSize()).isEqualTo(7);
    assertThat(scope.exposures()).extracting(Exposure::customer).containsExactly(customer(1), customer(3));
    Exposure first = scope.exposures().getFirst();
    assertThat(first.fields()).containsExactly(Map.entry("email", Exposure.Shown.MASKED),
        Map.entry("name", Exposure.Shown.MASKED), Map.entry("phone", Exposure.Shown.REVEALED));
    assertThat(first.accesses()).isEqualTo(2);
    assertThat(first.last()).isEqualTo(T0.plusSeconds(600));
  }

  @Test
  void scope_countsCustomersOncePerCategoryFieldAndJurisdiction() {
    Scope scope = Scope.of(index(), Set.of(EVE, BOB), T0, T0.plusSeconds(7200));
    assertThat(scope.exposures()).hasSize(4);
    assertThat(scope.customersByCategory()).containsEntry(DataCategory.CONTACT, 3)
        .containsEntry(DataCategory.IDENTITY, 1).containsEntry(DataCategory.FINANCIAL, 1);
    assertThat(scope.customersByField().get("email")).containsExactly(3, 1);
    assertThat(scope.customersByJurisdiction(c -> c.equals(customer(1)) ? Optional.of("DE") : Optional.empty()))
        .containsExactly(Map.entry("DE", 1), Map.entry("unknown", 3));
  }

  @Test
  void scope_refusesNoStaffAndEmptyWindows() {
    assertThatThrownBy(() -> Scope.of(index(), Set.of(), T0, T0.plusSeconds(1))).hasMessageContaining("staff");
    assertThatThrownBy(() -> Scope.of(index(), Set.of(EVE), T0, T0)).hasMessageContaining("window");
  }
}
