package dev.custos.access;

import java.util.Objects;
import java.util.Optional;

/** What applying a {@link TicketEvent} did. */
public sealed interface TicketOutcome permits TicketOutcome.Applied, TicketOutcome.Stale, TicketOutcome.Refused {
  /** The event changed the ticket; {@code previous} is empty for a ticket seen for the first time. */
  record Applied(Ticket ticket, Optional<Ticket> previous) implements TicketOutcome {
    public Applied {
      Objects.requireNonNull(ticket, "ticket");
      Objects.requireNonNull(previous, "previous");
    }
  }

  /** The event is not newer than what is stored (a duplicate or a late delivery); nothing changed. */
  record Stale(Ticket current) implements TicketOutcome {
    public Stale {
      Objects.requireNonNull(current, "current");
    }
  }

  /** The event is impossible (contradicts itself, reopens a closed ticket, recreates one); nothing changed. */
  record Refused(String reason) implements TicketOutcome {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
