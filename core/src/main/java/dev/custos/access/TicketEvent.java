package dev.custos.access;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of a ticket as the ticket system reported it (a webhook delivery, already verified
 * and parsed by the integration). The payload carries the ticket's whole state after the change,
 * the way Zendesk's does, so events may arrive late, twice or out of order: {@link Tickets} keeps
 * the newest by {@code occurredAt}.
 *
 * @param type what happened
 * @param id the ticket
 * @param requester the customer who asked
 * @param assignee the agent after the change
 * @param status the status after the change
 * @param channel see {@link Ticket#channel()}
 * @param category see {@link Ticket#category()}
 * @param createdByStaff whether staff created the ticket
 * @param occurredAt the ticket system's {@code updated_at} of this change, truncated to the microsecond
 */
public record TicketEvent(Type type, TicketId id, CustomerId requester, Optional<StaffId> assignee, TicketStatus status,
    String channel, String category, boolean createdByStaff, Instant occurredAt) {

  /** The kinds of change Custos listens to. */
  public enum Type {
    CREATED("created"),
    ASSIGNED("assigned"),
    REASSIGNED("reassigned"),
    SOLVED("solved"),
    CLOSED("closed");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** The name used by the integration and in the ledger. */
    public String wireName() {
      return wireName;
    }
  }

  public TicketEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(id, "ticket id");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(assignee, "assignee");
    Objects.requireNonNull(status, "status");
    Ticket.requireChannel(channel);
    Ticket.requireCategory(category);
    occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * Why this event contradicts itself (an assignment without an assignee, a "solved" event whose
   * status is not solved), or empty when it is consistent.
   */
  public Optional<String> inconsistency() {
    return switch (type) {
      case CREATED -> status == TicketStatus.CLOSED ? Optional.of("a ticket cannot be created closed") : Optional.empty();
      case ASSIGNED, REASSIGNED -> assignee.isEmpty()
          ? Optional.of("an " + type.wireName() + " event must name the assignee")
          : status == TicketStatus.CLOSED ? Optional.of("a closed ticket cannot be assigned") : Optional.empty();
      case SOLVED -> status == TicketStatus.SOLVED ? Optional.empty()
          : Optional.of("a solved event must carry status solved, not " + status.wireName());
      case CLOSED -> status == TicketStatus.CLOSED ? Optional.empty()
          : Optional.of("a closed event must carry status closed, not " + status.wireName());
    };
  }

  /** The ticket this event describes, at {@code version}. */
  public Ticket toTicket(long version) {
    return new Ticket(id, requester, assignee, status, channel, category, createdByStaff, occurredAt, version);
  }
}
