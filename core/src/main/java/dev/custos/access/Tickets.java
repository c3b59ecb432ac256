package dev.custos.access;

import java.util.Objects;
import java.util.Optional;

/**
 * Keeps tickets up to date from the ticket system's events, idempotently and never backwards: a
 * duplicate or an older delivery is {@link TicketOutcome.Stale}, an impossible change (a closed
 * ticket changing again, a second "created", an event that contradicts itself) is
 * {@link TicketOutcome.Refused}. Safe to call from several instances at once: the store's
 * compare-and-set decides, and a lost race is read again.
 */
public final class Tickets {
  /** Enough for any realistic burst of events of one ticket; beyond it the store is misbehaving. */
  private static final int ATTEMPTS = 32;

  private final TicketStore store;

  public Tickets(TicketStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** Applies {@code event}. */
  public TicketOutcome apply(TicketEvent event) {
    Objects.requireNonNull(event, "event");
    Optional<String> problem = event.inconsistency();
    if (problem.isPresent()) {
      return new TicketOutcome.Refused(problem.get());
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Ticket> current = store.find(event.id());
      Ticket next;
      if (current.isEmpty()) {
        // The payload carries the whole ticket, so an assignment that overtook its "created" still applies.
        next = event.toTicket(1);
      } else {
        Ticket c = current.get();
        if (!event.occurredAt().isAfter(c.updatedAt())) {
          return new TicketOutcome.Stale(c);
        }
        if (c.status() == TicketStatus.CLOSED) {
          return new TicketOutcome.Refused("ticket " + c.id() + " is closed; a closed ticket never changes again");
        }
        if (event.type() == TicketEvent.Type.CREATED) {
          return new TicketOutcome.Refused("ticket " + c.id() + " already exists; it cannot be created again");
        }
        next = event.toTicket(c.version() + 1);
      }
      if (store.upsertIfNewer(next)) {
        return new TicketOutcome.Applied(next, current);
      }
    }
    throw new IllegalStateException("ticket " + event.id() + ": the store refused " + ATTEMPTS
        + " writes in a row; is another writer looping?");
  }

  /** The ticket, if known. */
  public Optional<Ticket> find(TicketId id) {
    return store.find(id);
  }
}
