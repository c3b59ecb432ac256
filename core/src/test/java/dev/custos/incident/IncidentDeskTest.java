package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import dev.custos.approval.ApprovalFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IncidentDeskTest {
  static final StaffId SEC = new StaffId("sec-1");
  static final StaffId EVE = new StaffId("eve");
  final ApprovalFixtures.MemoryLedger ledger = new ApprovalFixtures.MemoryLedger();
  final ApprovalFixtures.Clock clock = new ApprovalFixtures.Clock();
  final InMemoryIncidentStore store = new InMemoryIncidentStore();
  final IncidentDesk desk = new IncidentDesk(store, ledger, clock, new SplittableRandom(7));

  Incident open() {
    Instant now = clock.instant();
    IncidentDesk.Result r = desk.open(SEC, "Extortion e-mail: 2,000 records", "from ceo@", Set.of(EVE),
        now.minus(Duration.ofDays(30)), now);
    return ((IncidentDesk.Result.Done) r).incident();
  }

  @Test
  void open_recordsAnEntryWithoutTheTitleOrNotes_andTheFirstStep() {
    Incident i = open();
    assertThat(ledger.texts()).singleElement().satisfies(e -> {
      assertThat(e).contains("\"kind\":\"custos.incident/v1\"", "\"event\":\"opened\"", "\"suspects\":[\"eve\"]",
          "\"title_sha256\":\"" + IncidentDesk.sha256("Extortion e-mail: 2,000 records") + "\"");
      assertThat(e).doesNotContain("Extortion", "ceo@");
    });
    assertThat(desk.timeline(i.id())).singleElement().satisfies(s -> {
      assertThat(s.event()).isEqualTo("opened");
      assertThat(s.ledgerIndex()).isZero();
    });
    assertThat(i.status()).isEqualTo(IncidentStatus.OPEN);
  }

  @Test
  void open_whenTheLedgerFails_storesNothing() {
    ledger.failing.set(true);
    IncidentDesk.Result r = desk.open(SEC, "t", "", Set.of(EVE), clock.instant().minusSeconds(60), clock.instant());
    assertThat(r).isInstanceOf(IncidentDesk.Result.Unrecorded.class);
    assertThat(store.list(Optional.empty(), 10)).isEmpty();
  }

  @Test
  void open_withTheWindowBackwards_namesTheField() {
    assertThatThrownBy(() -> desk.open(SEC, "t", "", Set.of(EVE), clock.instant(), clock.instant().minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
    assertThat(ledger.entries).isEmpty();
  }

  @Test
  void move_followsTheStatusPath_andRecordsEachStepBeforeIt() {
    Incident i = open();
    IncidentDesk.Result contained = desk.move(SEC, i.id(), 0, IncidentStatus.CONTAINED);
    assertThat(contained).isInstanceOfSatisfying(IncidentDesk.Result.Done.class, d -> {
      assertThat(d.incident().status()).isEqualTo(IncidentStatus.CONTAINED);
      assertThat(d.incident().version()).isEqualTo(1);
    });
    assertThat(ledger.texts().get(1)).contains("\"event\":\"status\"", "\"from_status\":\"open\"",
        "\"status\":\"contained\"", "\"version\":0");
    assertThat(desk.move(SEC, i.id(), 1, IncidentStatus.OPEN)).isInstanceOf(IncidentDesk.Result.Conflict.class);
    assertThat(desk.move(SEC, i.id(), 1, IncidentStatus.NOTIFYING)).isInstanceOf(IncidentDesk.Result.Done.class);
    assertThat(desk.move(SEC, i.id(), 2, IncidentStatus.CLOSED)).isInstanceOf(IncidentDesk.Result.Done.class);
    assertThat(desk.move(SEC, i.id(), 3, IncidentStatus.CONTAINED)).isInstanceOf(IncidentDesk.Result.Conflict.class);
    assertThat(desk.timeline(i.id())).extracting(IncidentStep::event)
        .containsExactly("opened", "status", "status", "status");
  }

  @Test
  void move_atAStaleVersion_isAConflict_andWritesNoEntry() {
    Incident i = open();
    desk.assign(SEC, i.id(), 0, new StaffId("sec-2"));
    int entries = ledger.entries.size();
    assertThat(desk.move(SEC, i.id(), 0, IncidentStatus.CONTAINED)).isInstanceOf(IncidentDesk.Result.Conflict.class);
    assertThat(ledger.entries).hasSize(entries);
  }

  @Test
  void move_whenTheLedgerFails_changesNothing() {
    Incident i = open();
    ledger.failing.set(true);
    assertThat(desk.move(SEC, i.id(), 0, IncidentStatus.CONTAINED)).isInstanceOf(IncidentDesk.Result.Unrecorded.class);
    assertThat(store.find(i.id()).orElseThrow().status()).isEqualTo(IncidentStatus.OPEN);
    assertThat(desk.timeline(i.id())).hasSize(1);
  }

  @Test
  void twoConcurrentTransitionsFromOneVersion_exactlyOneWins_andTheLoserIsSupersededInTheLedger() throws Exception {
    Incident i = open();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<IncidentDesk.Result>> results = new ArrayList<>();
      for (IncidentStatus s : List.of(IncidentStatus.CONTAINED, IncidentStatus.CLOSED)) {
        results.add(pool.submit(() -> {
          go.await();
          return desk.move(SEC, i.id(), 0, s);
        }));
      }
      go.countDown();
      int done = 0;
      for (Future<IncidentDesk.Result> f : results) {
        done += f.get() instanceof IncidentDesk.Result.Done ? 1 : 0;
      }
      assertThat(done).isEqualTo(1);
      assertThat(store.find(i.id()).orElseThrow().version()).isEqualTo(1);
      long statusEntries = ledger.texts().stream().filter(t -> t.contains("\"event\":\"status\"")).count();
      long superseded = ledger.texts().stream().filter(t -> t.contains("\"event\":\"superseded\"")).count();
      assertThat(statusEntries - superseded).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void act_keepsTheTextOnTheTimeline_andOnlyItsDigestInTheLedger() {
    Incident i = open();
    desk.act(SEC, i.id(), IncidentDesk.ActionType.REMEDIATION, "rotated the support tool's export token");
    assertThat(ledger.texts()).last().satisfies(e -> assertThat(e).contains("\"type\":\"remediation\"",
        "\"text_sha256\"").doesNotContain("export token"));
    assertThat(desk.timeline(i.id())).last().satisfies(s ->
        assertThat(s.text()).contains("rotated the support tool's export token"));
  }

  @Test
  void record_ofAnUnknownIncident_isNotFound_andWritesNothing() {
    IncidentDesk.Result r = desk.record("sec-1", IncidentId.random(new SplittableRandom(1)), "scope.read", Map.of(),
        Map.of());
    assertThat(r).isInstanceOf(IncidentDesk.Result.NotFound.class);
    assertThat(ledger.entries).isEmpty();
  }
}
