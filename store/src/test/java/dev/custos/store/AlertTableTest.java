package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CustomerId;
import dev.custos.detect.AlertStore;
import dev.custos.detect.AlertStoreContract;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AlertTable} and {@link DetectionFacts} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class AlertTableTest extends AlertStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  @Override
  protected AlertStore instance() {
    return new AlertTable(db.dataSource());
  }

  @Test
  void unreachableDatabase_throws() {
    AlertStore down = new AlertTable(TestDatabases.unreachable());
    assertThatThrownBy(() -> down.list(Optional.empty(), 10)).isInstanceOf(StoreException.class)
        .hasMessageStartingWith("cannot ");
  }

  @Test
  void highValueFlag_isFalseUntilSet_andFollowsTheLatestWrite() {
    DetectionFacts facts = new DetectionFacts(db.dataSource());
    CustomerId c = new CustomerId("c-" + UUID.randomUUID());
    assertThat(facts.highValue(c)).isFalse();
    facts.setHighValue(c, true, Instant.parse("2026-11-21T09:00:00Z"));
    assertThat(facts.highValue(c)).isTrue();
    facts.setHighValue(c, false, Instant.parse("2026-11-21T09:01:00Z"));
    assertThat(facts.highValue(c)).isFalse();
  }

  @Test
  void highValueOf_namesExactlyTheFlaggedCustomers_acrossQueryBatches() {
    DetectionFacts facts = new DetectionFacts(db.dataSource());
    java.util.List<CustomerId> all = new java.util.ArrayList<>();
    java.util.Set<CustomerId> flagged = new java.util.HashSet<>();
    for (int i = 0; i < 2100; i++) {
      CustomerId c = new CustomerId("hv-" + UUID.randomUUID());
      all.add(c);
      if (i % 700 == 3) {
        facts.setHighValue(c, true, Instant.parse("2026-11-21T09:00:00Z"));
        flagged.add(c);
      } else if (i % 700 == 4) {
        facts.setHighValue(c, false, Instant.parse("2026-11-21T09:00:00Z"));
      }
    }

    assertThat(facts.highValueOf(all)).isEqualTo(flagged);
    assertThat(facts.highValueOf(java.util.List.of())).isEmpty();
  }

  @Test
  void sealedDecoyList_isStoredOnce() {
    DetectionFacts facts = new DetectionFacts(db.dataSource());
    Instant at = Instant.parse("2026-11-21T09:00:00Z");
    boolean first = facts.storeSealedDecoys(new byte[] {1, 2, 3}, at);
    boolean second = facts.storeSealedDecoys(new byte[] {4, 5, 6}, at);
    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(facts.sealedDecoys()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
  }
}
