package dev.custos.access;

import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.LEAD;
import static dev.custos.access.AccessFixtures.SECOND_LEAD;
import static dev.custos.access.AccessFixtures.T;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.approval.ApprovalFixtures;
import dev.custos.vault.Commitment;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The case desk: an approval is in the ledger before it takes effect. */
class CaseDeskTest {
  private final InMemoryCaseStore store = new InMemoryCaseStore();
  private final ApprovalFixtures.MemoryLedger ledger = new ApprovalFixtures.MemoryLedger();
  private final CaseDesk desk = new CaseDesk(store, c -> Optional.empty(), ledger, InstantSource.fixed(T.plusSeconds(1)));
  private final StaffSubject lead = AccessFixtures.staff(LEAD, Role.SUPPORT_L2);
  private final StaffSubject approver = AccessFixtures.staff(SECOND_LEAD, Role.SECURITY_ANALYST);

  private Case opened() {
    Case c = AccessFixtures.openCase(AccessFixtures.freshCase(), Set.of(CUSTOMER), LEAD);
    store.create(c);
    return c;
  }

  @Test
  void approval_isRecordedAndStored() {
    Case c = opened();
    CaseDesk.Result r = desk.approve(approver, c.id());
    assertThat(r).isInstanceOf(CaseDesk.Result.Done.class);
    assertThat(store.find(c.id()).orElseThrow().approval()).isPresent();
    assertThat(ledger.texts()).singleElement().asString().contains("\"action\":\"approve\"").contains("\"outcome\":\"done\"");
  }

  @Test
  void approval_whenTheLedgerFails_isNotStored() {
    Case c = opened();
    ledger.failing.set(true);
    CaseDesk.Result r = desk.approve(approver, c.id());
    assertThat(r).isEqualTo(new CaseDesk.Result.Unrecorded(false, "the disk is full"));
    assertThat(store.find(c.id()).orElseThrow().approval()).isEmpty();
  }

  @Test
  void approval_thatLosesARaceAfterItsEntry_isRecordedAsRefused_supersedingTheEntry() {
    Case c = opened();
    CaseDesk racing = new CaseDesk(new RacingStore(store), k -> Optional.<Commitment>empty(), ledger,
        InstantSource.fixed(T.plusSeconds(1)));
    CaseDesk.Result r = racing.approve(approver, c.id());
    assertThat(r).isInstanceOf(CaseDesk.Result.Refused.class);
    assertThat(ledger.texts()).hasSize(2);
    assertThat(ledger.texts().get(1)).contains("\"outcome\":\"refused\"").contains("\"supersedes\":0");
  }

  @Test
  void selfApproval_isRefusedAndRecorded_andNothingIsStored() {
    Case c = opened();
    CaseDesk.Result r = desk.approve(AccessFixtures.staff(LEAD, Role.SUPPORT_L2), c.id());
    assertThat(r).isInstanceOf(CaseDesk.Result.Refused.class);
    assertThat(store.find(c.id()).orElseThrow().approval()).isEmpty();
    assertThat(ledger.texts()).singleElement().asString().contains("\"outcome\":\"refused\"");
  }

  /** A store in which another approver wins between the desk's read and its write. */
  private record RacingStore(InMemoryCaseStore inner) implements CaseStore {
    @Override
    public boolean create(Case kase) {
      return inner.create(kase);
    }

    @Override
    public Optional<Case> find(CaseId id) {
      return inner.find(id);
    }

    @Override
    public boolean approve(CaseId id, CaseApproval approval) {
      inner.close(id, T.plusSeconds(1)); // someone closed it meanwhile
      return inner.approve(id, approval);
    }

    @Override
    public boolean close(CaseId id, java.time.Instant at) {
      return inner.close(id, at);
    }

    @Override
    public java.util.List<Case> runningCasesOf(StaffId member, java.time.Instant now) {
      return inner.runningCasesOf(member, now);
    }
  }
}
