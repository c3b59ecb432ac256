package dev.custos.access;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A ticket as Custos last learned it from the ticket system: the purpose an agent's access is bound
 * to. Only {@link Tickets} changes tickets, from {@link TicketEvent}s, never backwards in time.
 *
 * @param id the ticket system's id
 * @param requester the customer who asked
 * @param assignee the agent working it, if any
 * @param status its status
 * @param channel how it arrived ({@code email}, {@code web}, {@code chat}, ...): 1-32 of {@code a-z 0-9 _ -}
 * @param category the ticket system's category: 1-64 of {@code a-z 0-9 _ - . :}
 * @param createdByStaff whether a member of staff, not the customer, created it
 * @param updatedAt the ticket system's time of the change this state reflects; later events win. Kept
 *     to the microsecond (finer parts are truncated), as the store keeps it, so that "later" means
 *     the same in memory and in the database
 * @param version how many events changed it in Custos (1 for the first); the store's compare-and-set token
 */
public record Ticket(TicketId id, CustomerId requester, Optional<StaffId> assignee, TicketStatus status, String channel,
    String category, boolean createdByStaff, Instant updatedAt, long version) {
  static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9_\\-]{0,31}");
  static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9_\\-.:]{0,63}");

  public Ticket {
    Objects.requireNonNull(id, "ticket id");
    Objects.requireNonNull(requester, "requester");
    Objects.requireNonNull(assignee, "assignee");
    Objects.requireNonNull(status, "status");
    requireChannel(channel);
    requireCategory(category);
    updatedAt = Objects.requireNonNull(updatedAt, "updatedAt").truncatedTo(ChronoUnit.MICROS);
    if (version < 1) {
      throw new IllegalArgumentException("ticket version must be at least 1");
    }
  }

  static String requireChannel(String channel) {
    if (channel == null || !CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("ticket channel must be 1-32 characters of a-z, 0-9, _ and -");
    }
    return channel;
  }

  static String requireCategory(String category) {
    if (category == null || !CATEGORY.matcher(category).matches()) {
      throw new IllegalArgumentException("ticket category must be 1-64 characters of a-z, 0-9, _ - . and :");
    }
    return category;
  }

  /** Whether the ticket is open and assigned to {@code staff}. */
  public boolean isOpenFor(StaffId staff) {
    return status.isOpen() && assignee.isPresent() && assignee.get().equals(staff);
  }
}
