package dev.custos.access;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A fake {@link TicketStore}; the PostgreSQL one passes the same {@link TicketStoreContract}. */
public final class InMemoryTicketStore implements TicketStore {
  private final ConcurrentHashMap<TicketId, Ticket> tickets = new ConcurrentHashMap<>();

  @Override
  public Optional<Ticket> find(TicketId id) {
    return Optional.ofNullable(tickets.get(id));
  }

  @Override
  public boolean upsertIfNewer(Ticket t) {
    AtomicBoolean written = new AtomicBoolean();
    tickets.compute(t.id(), (id, stored) -> {
      boolean ok = stored == null ? t.version() == 1
          : stored.version() == t.version() - 1 && stored.updatedAt().isBefore(t.updatedAt())
              && stored.status() != TicketStatus.CLOSED;
      written.set(ok);
      return ok ? t : stored;
    });
    return written.get();
  }

  @Override
  public List<Ticket> openTicketsAssignedTo(StaffId staff) {
    return tickets.values().stream().filter(t -> t.isOpenFor(staff))
        .sorted(Comparator.comparing(Ticket::updatedAt).reversed().thenComparing(t -> t.id().value())).toList();
  }
}
