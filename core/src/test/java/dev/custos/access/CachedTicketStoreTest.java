package dev.custos.access;

import static dev.custos.access.AccessFixtures.CUSTOMER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The contract holds through the cache, and the cache never hides this instance's own writes. */
class CachedTicketStoreTest extends TicketStoreContract {
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(START);
  private final InMemoryTicketStore database = new InMemoryTicketStore();
  private final InProcessChangeFeed feed = new InProcessChangeFeed();
  private final CachedTicketStore store = new CachedTicketStore(database, TTL, (InstantSource) now::get, feed);
  /** Another instance on the same database and feed. */
  private final CachedTicketStore other = new CachedTicketStore(database, TTL, (InstantSource) now::get, feed);

  @Override
  protected TicketStore instance() {
    return store;
  }

  private static Ticket closed(Ticket t) {
    return new Ticket(t.id(), t.requester(), t.assignee(), TicketStatus.CLOSED, t.channel(), t.category(),
        t.createdByStaff(), t.updatedAt().plusSeconds(60), t.version() + 1);
  }

  @Test
  void ticketClosedThroughThisInstance_isSeenClosedAtOnce() {
    Ticket t = AccessFixtures.openTicket(AccessFixtures.freshTicket(), CUSTOMER, AccessFixtures.freshStaff());
    store.upsertIfNewer(t);
    assertThat(store.find(t.id())).contains(t);
    assertThat(store.upsertIfNewer(closed(t))).isTrue();
    assertThat(store.find(t.id()).orElseThrow().status()).isEqualTo(TicketStatus.CLOSED);
  }

  @Test
  void ticketUnknownUntilCreatedHere_isFoundAtOnce() {
    Ticket t = AccessFixtures.openTicket(AccessFixtures.freshTicket(), CUSTOMER, AccessFixtures.freshStaff());
    assertThat(store.find(t.id())).isEmpty();
    store.upsertIfNewer(t);
    assertThat(store.find(t.id())).contains(t);
  }

  @Test
  void ticketClosedByAnotherInstance_isSeenClosedAsSoonAsItsChangeIsHeard() {
    Ticket t = AccessFixtures.openTicket(AccessFixtures.freshTicket(), CUSTOMER, AccessFixtures.freshStaff());
    store.upsertIfNewer(t);
    assertThat(store.find(t.id())).contains(t);
    assertThat(other.upsertIfNewer(closed(t))).isTrue();
    assertThat(store.find(t.id()).map(Ticket::status)).isEqualTo(Optional.of(TicketStatus.CLOSED));
    assertThat(feed.published).contains("ticket:" + t.id().value());
  }

  @Test
  void ticketChangedWithoutAMessage_isSeenOnceTheTtlHasPassed() {
    Ticket t = AccessFixtures.openTicket(AccessFixtures.freshTicket(), CUSTOMER, AccessFixtures.freshStaff());
    store.upsertIfNewer(t);
    assertThat(store.find(t.id())).contains(t);
    database.upsertIfNewer(closed(t)); // a change whose publication was lost
    now.set(START.plus(TTL));
    assertThat(store.find(t.id()).map(Ticket::status)).isEqualTo(Optional.of(TicketStatus.CLOSED));
  }

  @Test
  void whileTheFeedIsDown_everyFindReadsTheStore() {
    Ticket t = AccessFixtures.openTicket(AccessFixtures.freshTicket(), CUSTOMER, AccessFixtures.freshStaff());
    store.upsertIfNewer(t);
    assertThat(store.find(t.id())).contains(t);
    feed.down();
    database.upsertIfNewer(closed(t));
    assertThat(store.find(t.id()).map(Ticket::status)).isEqualTo(Optional.of(TicketStatus.CLOSED));
    feed.up();
    assertThat(store.find(t.id()).map(Ticket::status)).isEqualTo(Optional.of(TicketStatus.CLOSED));
  }
}
