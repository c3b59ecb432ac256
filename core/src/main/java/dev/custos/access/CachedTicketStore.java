package dev.custos.access;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TicketStore} that serves {@link #find} from a short-lived cache (see {@link ReadCache})
 * and drops a ticket's entry whenever it writes that ticket. Readers and the writer ({@link Tickets})
 * of one instance MUST share one object: then a ticket closed or reassigned here ends access here
 * at once; a change applied by another instance, when its {@link ChangeFeed} message arrives (and never
 * later than the TTL).
 */
public final class CachedTicketStore implements TicketStore {
  /** The most tickets kept. */
  static final long MAXIMUM = 100_000;

  private final TicketStore store;
  private final ReadCache<TicketId, Optional<Ticket>> found;

  public CachedTicketStore(TicketStore store, Duration ttl, InstantSource clock, ChangeFeed feed) {
    this.store = Objects.requireNonNull(store, "store");
    this.found = new ReadCache<>(ttl, MAXIMUM, clock, feed, ChangeFeed.Topic.TICKET, TicketId::value, TicketId::parse);
  }

  @Override
  public Optional<Ticket> find(TicketId id) {
    return found.get(id, store::find);
  }

  @Override
  public boolean upsertIfNewer(Ticket ticket) {
    try {
      return store.upsertIfNewer(ticket);
    } finally {
      found.changed(ticket.id());
    }
  }

  @Override
  public List<Ticket> openTicketsAssignedTo(StaffId staff) {
    return store.openTicketsAssignedTo(staff);
  }
}
