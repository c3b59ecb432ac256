package dev.custos.access;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link TicketStore} that serves {@link #find} from a short-lived cache (see {@link ReadCaches})
 * and drops a ticket's entry whenever it writes that ticket. Readers and the writer ({@link Tickets})
 * of one instance MUST share one object: then a ticket closed or reassigned here ends access here
 * at once, and a change applied by another instance is seen within the TTL.
 */
public final class CachedTicketStore implements TicketStore {
  /** The most tickets kept. */
  static final long MAXIMUM = 100_000;

  private final TicketStore store;
  private final Cache<TicketId, Optional<Ticket>> found;

  public CachedTicketStore(TicketStore store, Duration ttl, InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.found = ReadCaches.expiring(ttl, MAXIMUM, clock);
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
      found.invalidate(ticket.id());
    }
  }

  @Override
  public List<Ticket> openTicketsAssignedTo(StaffId staff) {
    return store.openTicketsAssignedTo(staff);
  }
}
