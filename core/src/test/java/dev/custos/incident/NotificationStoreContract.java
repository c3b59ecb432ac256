package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NotificationStore} must do. Claims are global (every incident's due
 * notifications), so each test works on a fresh incident and looks only at its own rows.
 */
public abstract class NotificationStoreContract {
  static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final SplittableRandom RANDOM = new SplittableRandom();

  protected abstract NotificationStore instance();

  static synchronized IncidentId incident() {
    return IncidentId.random(RANDOM);
  }

  static synchronized Commitment commitment() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Commitment.fromBytes(b);
  }

  static Map<Commitment, CustomerId> customers(int n) {
    Map<Commitment, CustomerId> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(commitment(), new CustomerId("cust-" + i));
    }
    return m;
  }

  /** Claims until nothing is due, keeping only {@code incident}'s claims. */
  static List<Notification> claimAll(NotificationStore store, IncidentId incident, Instant now) {
    List<Notification> mine = new ArrayList<>();
    while (true) {
      List<Notification> batch = store.claim(now, 100);
      if (batch.isEmpty()) {
        return mine;
      }
      batch.stream().filter(n -> n.incident().equals(incident)).forEach(mine::add);
    }
  }

  @Test
  void enqueue_isOncePerCustomer_evenWhenRepeated() {
    NotificationStore store = instance();
    IncidentId id = incident();
    Map<Commitment, CustomerId> three = customers(3);
    assertThat(store.enqueue(id, three, T)).isEqualTo(3);
    assertThat(store.enqueue(id, three, T)).isZero();
    assertThat(store.counts(id)).containsExactly(Map.entry(NotificationState.PENDING, 3));
  }

  @Test
  void claim_takesPending_once_andCountsTheAttempt() {
    NotificationStore store = instance();
    IncidentId id = incident();
    store.enqueue(id, customers(2), T);
    List<Notification> claimed = claimAll(store, id, T);
    assertThat(claimed).hasSize(2).allSatisfy(n -> {
      assertThat(n.state()).isEqualTo(NotificationState.SENDING);
      assertThat(n.attempts()).isEqualTo(1);
    });
    assertThat(claimAll(store, id, T)).isEmpty();
  }

  @Test
  void markSent_onlyFromSending_andSentIsNeverClaimedAgain() {
    NotificationStore store = instance();
    IncidentId id = incident();
    Map<Commitment, CustomerId> one = customers(1);
    Commitment c = one.keySet().iterator().next();
    store.enqueue(id, one, T);
    assertThat(store.markSent(id, c, T)).isFalse();
    claimAll(store, id, T);
    assertThat(store.markSent(id, c, T)).isTrue();
    assertThat(store.markSent(id, c, T)).isFalse();
    assertThat(claimAll(store, id, T.plusSeconds(3600))).isEmpty();
    assertThat(store.counts(id)).containsExactly(Map.entry(NotificationState.SENT, 1));
  }

  @Test
  void retry_isClaimedAgainOnlyWhenDue() {
    NotificationStore store = instance();
    IncidentId id = incident();
    Map<Commitment, CustomerId> one = customers(1);
    Commitment c = one.keySet().iterator().next();
    store.enqueue(id, one, T);
    claimAll(store, id, T);
    assertThat(store.markRetry(id, c, T.plusSeconds(30), "smtp-transient", T)).isTrue();
    assertThat(claimAll(store, id, T.plusSeconds(29))).isEmpty();
    List<Notification> again = claimAll(store, id, T.plusSeconds(30));
    assertThat(again).singleElement().satisfies(n -> {
      assertThat(n.attempts()).isEqualTo(2);
      assertThat(n.error()).contains("smtp-transient");
    });
  }

  @Test
  void expiredClaim_becomesUncertain_andIsNeverClaimedAgain() {
    NotificationStore store = instance();
    IncidentId id = incident();
    Map<Commitment, CustomerId> one = customers(1);
    Commitment c = one.keySet().iterator().next();
    store.enqueue(id, one, T);
    claimAll(store, id, T);
    assertThat(store.expireClaims(T.plusSeconds(1), T.plusSeconds(600))).isGreaterThanOrEqualTo(1);
    assertThat(store.markSent(id, c, T.plusSeconds(601))).isFalse();
    assertThat(claimAll(store, id, T.plusSeconds(3600))).isEmpty();
    assertThat(store.counts(id)).containsExactly(Map.entry(NotificationState.UNCERTAIN, 1));
  }

  @Test
  void markEnded_isTerminal() {
    NotificationStore store = instance();
    IncidentId id = incident();
    Map<Commitment, CustomerId> one = customers(1);
    Commitment c = one.keySet().iterator().next();
    store.enqueue(id, one, T);
    claimAll(store, id, T);
    assertThat(store.markEnded(id, c, NotificationState.UNREACHABLE, "no-address", T)).isTrue();
    assertThat(claimAll(store, id, T.plusSeconds(3600))).isEmpty();
    assertThat(store.list(id)).singleElement().satisfies(n -> {
      assertThat(n.state()).isEqualTo(NotificationState.UNREACHABLE);
      assertThat(n.customerId()).isEqualTo(one.get(c));
    });
  }

  @Test
  void concurrentClaimers_neverClaimOneNotificationTwice() throws Exception {
    NotificationStore store = instance();
    IncidentId id = incident();
    store.enqueue(id, customers(40), T);
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Notification>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(pool.submit(() -> {
          go.await();
          List<Notification> mine = new ArrayList<>();
          for (int k = 0; k < 20; k++) {
            store.claim(T, 3).stream().filter(n -> n.incident().equals(id)).forEach(mine::add);
          }
          return mine;
        }));
      }
      go.countDown();
      List<Commitment> all = new ArrayList<>();
      for (Future<List<Notification>> f : results) {
        f.get().forEach(n -> all.add(n.customer()));
      }
      all.addAll(claimAll(store, id, T).stream().map(Notification::customer).toList());
      assertThat(all).hasSize(40).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
    }
  }
}
