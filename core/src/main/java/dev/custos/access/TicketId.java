package dev.custos.access;

/**
 * A ticket in the exchange's ticket system: the purpose a staff member's access must be bound to.
 *
 * @param value 1-64 characters: letters, digits and {@code . _ : -}, starting with a letter or digit
 */
public record TicketId(String value) {
  public TicketId {
    Ids.require(value, "ticket id");
  }

  /** Parses untrusted text; the message of the exception names the field and the rule. */
  public static TicketId parse(String text) {
    return new TicketId(text);
  }

  @Override
  public String toString() {
    return value;
  }
}
