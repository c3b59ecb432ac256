package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
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

/** What every {@link IncidentStore} must do; each test uses fresh ids. */
public abstract class IncidentStoreContract {
  static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final SplittableRandom RANDOM = new SplittableRandom();

  protected abstract IncidentStore instance();

  static Incident incident() {
    IncidentId id;
    synchronized (RANDOM) {
      id = IncidentId.random(RANDOM);
    }
    return new Incident(id, "Extortion e-mail claims 2,000 records", "tip from a journalist",
        Set.of(new StaffId("eve"), new StaffId("mallory")), T.minusSeconds(86_400), T, IncidentStatus.OPEN,
        Optional.empty(), new StaffId("sec-1"), T, T, 0);
  }

  static IncidentStep step(String event, long index) {
    return new IncidentStep(T, "sec-1", event, Map.of("k", "v"), Optional.empty(), index);
  }

  @Test
  void created_isFoundWithEveryMember_andItsFirstStep() {
    IncidentStore store = instance();
    Incident i = incident();
    assertThat(store.create(i, step("opened", 1))).isTrue();
    assertThat(store.find(i.id())).contains(i);
    assertThat(store.timeline(i.id())).containsExactly(step("opened", 1));
  }

  @Test
  void create_twiceWithOneId_isRefused() {
    IncidentStore store = instance();
    Incident i = incident();
    store.create(i, step("opened", 1));
    assertThat(store.create(i, step("opened", 2))).isFalse();
    assertThat(store.timeline(i.id())).hasSize(1);
  }

  @Test
  void change_atTheCurrentVersion_storesItAndItsStep_andBumpsTheVersion() {
    IncidentStore store = instance();
    Incident i = incident();
    store.create(i, step("opened", 1));
    Incident next = i.withStatus(IncidentStatus.CONTAINED, T.plusSeconds(60)).withOwner(new StaffId("sec-2"),
        T.plusSeconds(60));
    assertThat(store.change(next, 0, step("status", 2))).isTrue();
    Incident read = store.find(i.id()).orElseThrow();
    assertThat(read.status()).isEqualTo(IncidentStatus.CONTAINED);
    assertThat(read.owner()).contains(new StaffId("sec-2"));
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.updatedAt()).isEqualTo(T.plusSeconds(60));
    assertThat(store.timeline(i.id())).extracting(IncidentStep::event).containsExactly("opened", "status");
  }

  @Test
  void change_atAStaleVersion_changesNothing() {
    IncidentStore store = instance();
    Incident i = incident();
    store.create(i, step("opened", 1));
    store.change(i.withStatus(IncidentStatus.CONTAINED, T), 0, step("status", 2));
    assertThat(store.change(i.withStatus(IncidentStatus.CLOSED, T), 0, step("status", 3))).isFalse();
    assertThat(store.find(i.id()).orElseThrow().status()).isEqualTo(IncidentStatus.CONTAINED);
    assertThat(store.timeline(i.id())).hasSize(2);
  }

  @Test
  void concurrentChangesFromOneVersion_exactlyOneWins() throws Exception {
    IncidentStore store = instance();
    Incident i = incident();
    store.create(i, step("opened", 1));
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long index = 10 + t;
        results.add(pool.submit(() -> {
          go.await();
          return store.change(i.withStatus(IncidentStatus.CONTAINED, T), 0, step("status", index));
        }));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : results) {
        won += f.get() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
      assertThat(store.timeline(i.id())).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void addStep_keepsTextAndOrder_andNeedsAnIncident() {
    IncidentStore store = instance();
    Incident i = incident();
    store.create(i, step("opened", 1));
    IncidentStep note = new IncidentStep(T.plusSeconds(5), "sec-1", "action", Map.of("type", "remediation"),
        Optional.of("rotated the support tool's API keys"), 7);
    assertThat(store.addStep(i.id(), note)).isTrue();
    assertThat(store.timeline(i.id())).last().isEqualTo(note);
    assertThat(store.addStep(incident().id(), note)).isFalse();
  }

  @Test
  void active_leavesClosedOut_andListFiltersByStatus() {
    IncidentStore store = instance();
    Incident open = incident();
    Incident closed = incident();
    store.create(open, step("opened", 1));
    store.create(closed, step("opened", 2));
    store.change(closed.withStatus(IncidentStatus.CLOSED, T), 0, step("status", 3));
    assertThat(store.active()).extracting(Incident::id).contains(open.id()).doesNotContain(closed.id());
    assertThat(store.list(Optional.of(IncidentStatus.CLOSED), 1000)).extracting(Incident::id).contains(closed.id())
        .doesNotContain(open.id());
  }
}
