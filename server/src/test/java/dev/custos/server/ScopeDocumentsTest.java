package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.incident.Scope;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScopeDocumentsTest {
  static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
  static final StaffId EVE = new StaffId("eve");

  static Commitment commitment(int n) {
    byte[] b = new byte[32];
    b[0] = (byte) n;
    return Commitment.fromBytes(b);
  }

  static Scope scope() {
    MemoryAccessIndex index = new MemoryAccessIndex();
    index.add(new Access(0, T0, EVE, "s", Action.VIEW, commitment(1), "ticket", Optional.of("T-1"),
        Map.of("email", "partial-email", "phone", "none")));
    index.add(new Access(1, T0.plusSeconds(60), EVE, "s", Action.VIEW, commitment(2), "ticket", Optional.of("T-2"),
        Map.of("bank_account", "last-4")));
    return Scope.of(index, Set.of(EVE), T0, T0.plusSeconds(3600));
  }

  @Test
  void json_namesResolvedCustomersById_andTheOthersByCommitmentOnly() {
    Map<String, Object> json = ScopeDocuments.json(scope(), Map.of(commitment(1), new CustomerId("cust-1")));
    assertThat(json).containsEntry("customers", 2).containsEntry("accesses", 2L);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> exposures = (List<Map<String, Object>>) json.get("exposures");
    assertThat(exposures.get(0)).containsEntry("customer", "cust-1")
        .containsEntry("fields", Map.of("email", "masked", "phone", "revealed"));
    assertThat(exposures.get(1)).containsEntry("customer", null).containsEntry("commitment", commitment(2).hex());
    assertThat(json.get("byCategory")).isEqualTo(Map.of("contact", 1, "financial", 1));
  }

  @Test
  void csv_hasAHeaderAndOneRowPerCustomer() {
    String csv = ScopeDocuments.csv(scope(), Map.of(commitment(1), new CustomerId("cust-1")));
    assertThat(csv.split("\r\n")).containsExactly(ScopeDocuments.CSV_HEADER,
        "cust-1," + commitment(1).hex() + ",email,phone,2026-11-21T08:00:00Z,2026-11-21T08:00:00Z,eve,1",
        "," + commitment(2).hex() + ",bank_account,,2026-11-21T08:01:00Z,2026-11-21T08:01:00Z,eve,1");
  }

  @Test
  void csvCell_quotesSeparatorsAndDefusesFormulas() {
    assertThat(ScopeDocuments.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(ScopeDocuments.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(ScopeDocuments.cell("=cmd()")).isEqualTo("'=cmd()");
  }

  @Test
  void query_refusesBadInput_namingTheField() {
    assertThatThrownBy(() -> ScopeQuery.parse(" ", "2026-11-01", "2026-11-02"))
        .isInstanceOfSatisfying(ScopeQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("staff"));
    assertThatThrownBy(() -> ScopeQuery.parse("eve", "yesterday", "2026-11-02"))
        .isInstanceOfSatisfying(ScopeQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("from"));
    assertThatThrownBy(() -> ScopeQuery.parse("eve", "2026-11-02", "2026-11-02"))
        .isInstanceOfSatisfying(ScopeQuery.Invalid.class, e -> assertThat(e.field()).isEqualTo("to"));
    assertThat(ScopeQuery.parse("eve, bob", "2026-11-01", "2026-11-02T10:00:00Z").staff()).hasSize(2);
  }
}
