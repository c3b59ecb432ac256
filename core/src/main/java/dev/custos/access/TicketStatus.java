package dev.custos.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The status of a ticket in the ticket system (Zendesk's statuses). Only an open ticket is a purpose. */
public enum TicketStatus {
  NEW("new"),
  OPEN("open"),
  PENDING("pending"),
  ON_HOLD("hold"),
  SOLVED("solved"),
  /** Final: a closed ticket never opens again (a follow-up is a new ticket). */
  CLOSED("closed");

  private final String wireName;

  TicketStatus(String wireName) {
    this.wireName = wireName;
  }

  /** The name used by the ticket system, the API and the database. */
  public String wireName() {
    return wireName;
  }

  /** Whether work on the ticket is under way: new, open, pending or on hold. */
  public boolean isOpen() {
    return this != SOLVED && this != CLOSED;
  }

  /** Parses a wire name ({@code on-hold} is accepted for {@code hold}); the message names the accepted values. */
  public static TicketStatus parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (wanted.equals("on-hold")) {
      return ON_HOLD;
    }
    for (TicketStatus s : values()) {
      if (s.wireName.equals(wanted)) {
        return s;
      }
    }
    throw new IllegalArgumentException("ticket status must be one of "
        + Arrays.stream(values()).map(TicketStatus::wireName).collect(Collectors.joining(", ")));
  }
}
