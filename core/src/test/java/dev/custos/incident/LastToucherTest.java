package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LastToucherTest {
  static final CustomerId ADA = new CustomerId("cust-ada");
  static final Commitment ADA_C = ScopeTest.customer(1);
  static final StaffId EVE = new StaffId("eve");
  static final StaffId BOB = new StaffId("bob");

  static Access seen(long index, StaffId staff) {
    return new Access(index, Instant.parse("2026-11-21T08:00:00Z").plusSeconds(index), staff, "s", Action.VIEW, ADA_C,
        "ticket", Optional.of("T-1"), Map.of("email", "partial-email"));
  }

  LastToucher toucher(MemoryAccessIndex index, Set<StaffId> contained) {
    return new LastToucher(index, c -> c.equals(ADA) ? Optional.of(ADA_C) : Optional.empty(), contained::contains);
  }

  @Test
  void theLastToSeeTheCustomer_decides() {
    MemoryAccessIndex index = new MemoryAccessIndex();
    index.add(seen(1, BOB));
    index.add(seen(2, EVE));
    assertThat(toucher(index, Set.of(EVE)).lastToucherContained(ADA)).isTrue();
    assertThat(toucher(index, Set.of(BOB)).lastToucherContained(ADA)).as("bob was not the last").isFalse();
    assertThat(toucher(index, Set.of(EVE)).lastToucherContained(new CustomerId("cust-nobody"))).isFalse();
    assertThat(toucher(new MemoryAccessIndex(), Set.of(EVE)).lastToucherContained(ADA)).as("never seen").isFalse();
  }

  @Test
  void anUnanswerableQuestion_failsClosed() {
    LastToucher broken = new LastToucher(new MemoryAccessIndex(), c -> {
      throw new IllegalStateException("vault down");
    }, s -> false);
    assertThat(broken.lastToucherContained(ADA)).isTrue();
  }
}
