package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ReasonTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class ReasonTableTest {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();
  private static final AtomicLong NEXT = new AtomicLong(System.nanoTime() & 0xffffffffL);
  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final StaffId ALICE = new StaffId("alice");

  @Test
  void record_thenRead_returnsTheText() {
    ReasonTable table = new ReasonTable(db.dataSource());
    long index = NEXT.incrementAndGet();
    table.record(index, ALICE, "customer asked to confirm their phone on ticket 4711", T);
    assertThat(table.reason(index)).contains("customer asked to confirm their phone on ticket 4711");
    assertThat(table.reason(index + 1_000_000)).isEmpty();
  }

  @Test
  void record_sameIndexSameText_isANoOp_butAnotherTextFails() {
    ReasonTable table = new ReasonTable(db.dataSource());
    long index = NEXT.incrementAndGet();
    table.record(index, ALICE, "verify identity for withdrawal hold", T);
    table.record(index, ALICE, "verify identity for withdrawal hold", T);
    assertThatThrownBy(() -> table.record(index, ALICE, "something else entirely", T))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(Long.toString(index));
    assertThat(table.reason(index)).contains("verify identity for withdrawal hold");
  }

  @Test
  void record_emptyOrOverlongReason_isRefusedByTheDatabase() {
    ReasonTable table = new ReasonTable(db.dataSource());
    assertThatThrownBy(() -> table.record(NEXT.incrementAndGet(), ALICE, "", T)).isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> table.record(NEXT.incrementAndGet(), ALICE, "x".repeat(1001), T))
        .isInstanceOf(StoreException.class);
  }
}
