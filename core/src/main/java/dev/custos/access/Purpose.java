package dev.custos.access;

import java.util.Objects;

/**
 * Why a member of staff asks for customer data: the purpose the policy verifies against the facts
 * the broker loaded ({@link PurposeFacts}).
 */
public sealed interface Purpose permits Purpose.Ticket, Purpose.Case, Purpose.BreakGlass, Purpose.None {
  /** No purpose given: denied for customer data (a search needs none). */
  None NONE = new None();
  /** Break-glass: no ticket or case, a reason instead; loud and reviewed. */
  BreakGlass BREAK_GLASS = new BreakGlass();

  /** A ticket of the ticket system, which must be open, assigned to the staff member and requested by the customer. */
  record Ticket(TicketId id) implements Purpose {
    public Ticket {
      Objects.requireNonNull(id, "ticket id");
    }
  }

  /** A case approved by a lead that lists the customer and counts the staff member among its members. */
  record Case(CaseId id) implements Purpose {
    public Case {
      Objects.requireNonNull(id, "case id");
    }
  }

  /** Break-glass access. */
  record BreakGlass() implements Purpose {}

  /** No purpose. */
  record None() implements Purpose {}

  /** A ticket purpose. */
  static Purpose ticket(TicketId id) {
    return new Ticket(id);
  }

  /** A case purpose. */
  static Purpose ofCase(CaseId id) {
    return new Case(id);
  }
}
