package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Races;
import dev.custos.approval.ApprovalCatalogue;
import dev.custos.approval.ApprovalDesk;
import dev.custos.approval.ApprovalDispatch;
import dev.custos.approval.ApprovalFixtures;
import dev.custos.approval.ApprovalRequest;
import dev.custos.approval.ApprovalState;
import dev.custos.approval.ApprovalStore;
import dev.custos.approval.ApprovalStoreContract;
import dev.custos.approval.Participant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ApprovalTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class ApprovalTableTest extends ApprovalStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected ApprovalStore instance() {
    return new ApprovalTable(db.dataSource());
  }

  @Test
  void sixteenApproversRacingThroughTheDesk_onPostgres_countTwo_andReachQuorumOnce() throws Exception {
    ApprovalFixtures.MemoryLedger ledger = new ApprovalFixtures.MemoryLedger();
    ApprovalDesk desk = new ApprovalDesk(ApprovalCatalogue.defaults(), instance(), ApprovalDispatch.NONE,
        c -> Optional.empty(), ledger, java.time.InstantSource.fixed(ApprovalFixtures.T), new SplittableRandom(11));
    ApprovalRequest r = ((ApprovalDesk.Result.Done) desk.request(ApprovalFixtures.agent(),
        ApprovalFixtures.reset2fa(ApprovalFixtures.CUSTOMER), Set.of())).request();
    List<Callable<ApprovalDesk.Result>> racers = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Participant p = ApprovalFixtures.approver("appr-" + i);
      racers.add(() -> desk.approve(p, r.id(), r.bindingHash()));
    }
    List<ApprovalDesk.Result> results = Races.race(racers);

    assertThat(results).filteredOn(x -> x instanceof ApprovalDesk.Result.Done d && d.event().equals("approved")).hasSize(1);
    assertThat(results).filteredOn(x -> x instanceof ApprovalDesk.Result.Done).hasSize(2);
    assertThat(results).filteredOn(x -> x instanceof ApprovalDesk.Result.Refused).hasSize(14);
    ApprovalRequest stored = instance().find(r.id()).orElseThrow();
    assertThat(stored.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(stored.approvals()).hasSize(2);
  }

  @Test
  void unreachableDatabase_throws() {
    ApprovalStore down = new ApprovalTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.find(ApprovalFixtures.freshId())).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot ");
  }
}
