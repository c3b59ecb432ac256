package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import dev.custos.detect.Alert;
import dev.custos.detect.Assessment;
import dev.custos.detect.Measure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AlertDeliveryTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class AlertDeliveryTableTest {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();
  static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

  // Each test uses its own destination name space through fresh alerts; takeOver is per sink, so
  // the tests use different sinks where they count rows.
  private String alert() {
    String id = "alert-" + UUID.randomUUID();
    new AlertTable(db.dataSource()).add(new Alert(id, new Assessment(new StaffId("agent-1"), T0, Measure.ALERT, 9.0,
        List.of()), 7));
    return id;
  }

  private final AlertDeliveryTable table = new AlertDeliveryTable(db.dataSource());

  @Test
  void handingOverTwice_recordsOneWaitingDelivery() {
    String a = alert();
    table.enqueue(a, "webhook", "p-1", T0);
    table.enqueue(a, "webhook", "p-2", T0.plusSeconds(1));

    assertThat(table.state(a, "webhook")).contains("pending/0");
  }

  @Test
  void aLiveOwnersDeliveries_areNotTakenOver_untilItStopsRenewingThem() {
    String a = alert();
    table.enqueue(a, "syslog", "p-live", T0);

    Instant later = T0.plus(Duration.ofSeconds(30));
    assertThat(table.takeOver("syslog", "p-other", T0.minusSeconds(60), later)).isEmpty();
    table.renew("syslog", "p-live", later);
    assertThat(table.takeOver("syslog", "p-other", later.minusSeconds(1), later)).isEmpty();

    List<AlertDeliveryTable.Waiting> taken = table.takeOver("syslog", "p-other", later.plusSeconds(1), later.plusSeconds(61));
    assertThat(taken).extracting(AlertDeliveryTable.Waiting::alertId).contains(a);
    assertThat(table.takeOver("syslog", "p-third", later.plusSeconds(1), later.plusSeconds(61)))
        .as("the new owner renewed them by taking them").extracting(AlertDeliveryTable.Waiting::alertId).doesNotContain(a);
  }

  @Test
  void releasedDeliveries_areTakenOverAtOnce_inTheOrderTheyWereHandedOver_withTheirAttempts() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(alert());
    }
    for (String id : ids) {
      table.enqueue(id, "ocsf", "p-stopping", T0);
    }
    table.attempted(ids.get(1), "ocsf", 3, "connection refused", T0);
    table.delivered(ids.get(2), "ocsf", 1, T0);
    table.release("ocsf", "p-stopping");

    List<AlertDeliveryTable.Waiting> taken = table.takeOver("ocsf", "p-next", T0.minusSeconds(60), T0.plusSeconds(1));

    assertThat(taken).extracting(AlertDeliveryTable.Waiting::alertId)
        .containsSubsequence(ids.get(0), ids.get(1), ids.get(3), ids.get(4)).doesNotContain(ids.get(2));
    assertThat(taken).filteredOn(w -> w.alertId().equals(ids.get(1))).singleElement()
        .extracting(AlertDeliveryTable.Waiting::attempts).isEqualTo(3);
  }

  @Test
  void aFinishedDelivery_staysFinished() {
    String a = alert();
    table.enqueue(a, "webhook", "p-1", T0);
    table.failed(a, "webhook", 2, "refused: 400", T0);
    table.delivered(a, "webhook", 3, T0);
    table.attempted(a, "webhook", 4, "timeout", T0);

    assertThat(table.state(a, "webhook")).contains("failed/2");
  }

  @Test
  void twoProcessesTakingOverAtOnce_neverTakeTheSameDelivery() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String id = alert();
      ids.add(id);
      table.enqueue(id, "webhook", "p-crashed", T0);
    }
    Instant now = T0.plusSeconds(120);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<List<AlertDeliveryTable.Waiting>> a = () -> table.takeOver("webhook", "p-a", now.minusSeconds(60), now);
      Callable<List<AlertDeliveryTable.Waiting>> b = () -> table.takeOver("webhook", "p-b", now.minusSeconds(60), now);
      Future<List<AlertDeliveryTable.Waiting>> fa = pool.submit(a);
      Future<List<AlertDeliveryTable.Waiting>> fb = pool.submit(b);
      List<String> byA = fa.get().stream().map(AlertDeliveryTable.Waiting::alertId).filter(ids::contains).toList();
      List<String> byB = fb.get().stream().map(AlertDeliveryTable.Waiting::alertId).filter(ids::contains).toList();

      Set<String> both = new HashSet<>(byA);
      both.retainAll(byB);
      assertThat(both).as("taken by both").isEmpty();
      assertThat(byA.size() + byB.size()).as("every waiting delivery is taken by one of them").isEqualTo(ids.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
