package dev.custos.access;

import java.util.List;
import java.util.Optional;

/**
 * Where tickets are kept (PostgreSQL in production, shared by every instance). Only
 * {@link Tickets} writes.
 */
public interface TicketStore {
  /** The ticket, if known. */
  Optional<Ticket> find(TicketId id);

  /**
   * Writes {@code ticket} if, atomically with the write, either no ticket with its id is stored and
   * its version is 1, or the stored one has version {@code ticket.version() - 1}, an earlier
   * {@code updatedAt} and is not closed. MUST NOT write otherwise: two instances applying events
   * of one ticket at once must not lose one or go back in time, and nothing reopens a closed ticket.
   *
   * @return whether it was written
   */
  boolean upsertIfNewer(Ticket ticket);

  /** The open tickets assigned to {@code staff}, most recently updated first. */
  List<Ticket> openTicketsAssignedTo(StaffId staff);
}
