package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CaseStore;
import dev.custos.access.CaseStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link CaseTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class CaseTableTest extends CaseStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected CaseStore instance() {
    return new CaseTable(db.dataSource());
  }

  @Test
  void approvalByTheCasesOwnLead_isRefusedByTheTable() {
    dev.custos.access.StaffId lead = dev.custos.access.AccessFixtures.freshStaff();
    dev.custos.access.Case c = new dev.custos.access.Case(dev.custos.access.AccessFixtures.freshCase(), lead, "own approval",
        java.util.Set.of(dev.custos.access.AccessFixtures.CUSTOMER), java.util.Set.of(lead), dev.custos.access.AccessFixtures.T,
        dev.custos.access.AccessFixtures.T.plusSeconds(3600), java.util.Optional.empty(), java.util.Optional.empty());
    instance().create(c);

    assertThatThrownBy(() -> instance().approve(c.id(), new dev.custos.access.CaseApproval(lead,
        java.util.Set.of(dev.custos.access.Role.SUPPORT_L2), dev.custos.access.AccessFixtures.T)))
        .isInstanceOf(StoreException.class).hasMessageContaining("access_case_not_self_approved");
    org.assertj.core.api.Assertions.assertThat(instance().find(c.id()).orElseThrow().approval()).isEmpty();
  }

  @Test
  void unreachableDatabase_throws() {
    CaseStore down = new CaseTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.find(new dev.custos.access.CaseId("case-1"))).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
  }
}
