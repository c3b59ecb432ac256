package dev.custos.access;

import static dev.custos.access.AccessFixtures.CUSTOMER;
import static dev.custos.access.AccessFixtures.freshCase;
import static dev.custos.access.AccessFixtures.freshStaff;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The contract holds through the cache (approvals and closes are read back at once), and other instances' changes show within the TTL. */
class CachedCaseStoreTest extends CaseStoreContract {
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(START);
  private final InMemoryCaseStore database = new InMemoryCaseStore();
  private final CachedCaseStore store = new CachedCaseStore(database, TTL, (InstantSource) now::get,
      ChangeFeed.alone());

  @Override
  protected CaseStore instance() {
    return store;
  }

  @Test
  void caseClosedWithoutAMessage_isSeenClosedOnceTheTtlHasPassed() {
    StaffId lead = freshStaff();
    Case c = new Case(freshCase(), lead, "chargeback ring", Set.of(CUSTOMER), Set.of(lead), START,
        START.plus(Duration.ofDays(1)), Optional.empty(), Optional.empty());
    store.create(c);
    assertThat(store.find(c.id())).contains(c);
    database.close(c.id(), START.plusSeconds(1));
    now.set(START.plus(TTL));
    assertThat(store.find(c.id())).contains(c.closed(START.plusSeconds(1)));
  }
}
