package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances' feeds on one real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class PgChangeFeedTest {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void changePublishedByOneInstance_isHeardByTheOther_keyByKey() throws Exception {
    try (PgChangeFeed a = PgChangeFeed.start(db.dataSource(), WAIT); PgChangeFeed b = PgChangeFeed.start(db.dataSource(), WAIT)) {
      assertThat(a.live()).isTrue();
      assertThat(b.live()).isTrue();
      List<String> tickets = new CopyOnWriteArrayList<>();
      List<String> customers = new CopyOnWriteArrayList<>();
      b.subscribe(ChangeFeed.Topic.TICKET, tickets::add);
      b.subscribe(ChangeFeed.Topic.CUSTOMER, customers::add);

      a.publish(ChangeFeed.Topic.TICKET, List.of("T-1001"));
      a.publish(ChangeFeed.Topic.CUSTOMER, List.of("cust-1", "cust-2", "cust-3"));

      eventually(() -> tickets.contains("T-1001") && customers.containsAll(List.of("cust-1", "cust-2", "cust-3")),
          "b hears a's changes");
      assertThat(tickets).doesNotContain("cust-1");
    }
  }

  @Test
  void lostListeningConnection_isNotLive_thenListensAgain_withANewEpoch_andTellsEveryListenerAll() throws Exception {
    try (PgChangeFeed feed = PgChangeFeed.start(db.dataSource(), WAIT)) {
      List<String> heard = new CopyOnWriteArrayList<>();
      feed.subscribe(ChangeFeed.Topic.STAFF, heard::add);
      long before = feed.epoch();
      try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
        ps.setString(1, feed.applicationName);
        ps.executeQuery().close();
      }
      eventually(() -> feed.epoch() >= before + 2 && feed.live(), "the feed listens again");
      assertThat(heard).contains(ChangeFeed.ALL);
      heard.clear();
      feed.publish(ChangeFeed.Topic.STAFF, List.of("alice"));
      eventually(() -> heard.contains("alice"), "changes are heard again");
    }
  }

  @Test
  void unreachableDatabase_isNeverLive_andPublishingDoesNotThrow() {
    try (PgChangeFeed feed = PgChangeFeed.start(TestDatabases.unreachable(), Duration.ofMillis(300))) {
      assertThat(feed.live()).isFalse();
      feed.publish(ChangeFeed.Topic.TICKET, List.of("T-1"));
      assertThat(feed.live()).isFalse();
    }
  }
}
