package dev.custos.detect;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Classification;
import java.time.Instant;
import java.util.Objects;

/**
 * One fact the detector learns about a member of staff, already enriched by the caller with what
 * detection needs and the access event does not carry (whether the customer is on one of the
 * person's open tickets, whether they are on shift, whether the customer is a decoy). The detector
 * trusts these facts: the wiring that maps {@code AccessEvent}s, ticket webhooks and sign-ins to
 * observations MUST compute them from the same stores the broker uses.
 */
public sealed interface Observation permits Observation.Touch, Observation.Search, Observation.TicketFact,
    Observation.SessionStart {

  /** When it happened (event time: the detector's only clock). */
  Instant at();

  /** Who did it. */
  StaffId staff();

  /** Why the staff member could see a customer, as far as detection is concerned. */
  enum Basis {
    /** The customer is the requester of one of the person's open tickets. */
    OWN_TICKET,
    /** The customer is linked (same household, sub-account, shared device) to a customer of one of their open tickets. */
    LINKED,
    /** The customer is on an approved case the person is a member of. */
    CASE,
    /** Break-glass: no ticket or case, a reason instead. */
    BREAK_GLASS,
    /** None of the above: the customer is on none of the person's tickets or cases. */
    NONE;

    /** Whether detection counts the touch as "a customer on none of the person's tickets". */
    boolean unexplained() {
      return this == NONE || this == BREAK_GLASS;
    }
  }

  /**
   * A customer's record was shown (a view) or some of its fields unmasked (a reveal).
   *
   * @param customer whose record
   * @param reveal true for a reveal, false for a masked view
   * @param mostSensitive the most sensitive field revealed (for a view: {@link Classification#PUBLIC})
   * @param basis see {@link Basis}
   * @param highValue whether the customer is VIP or holds a high balance
   * @param decoy whether the customer is a decoy: detection suspends at once
   * @param onShift whether the staff member is on one of their shifts
   */
  record Touch(Instant at, StaffId staff, CustomerId customer, boolean reveal, Classification mostSensitive, Basis basis,
      boolean highValue, boolean decoy, boolean onShift) implements Observation {
    public Touch {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(staff, "staff");
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(mostSensitive, "mostSensitive");
      Objects.requireNonNull(basis, "basis");
    }

    /** A masked view. */
    public static Touch view(Instant at, StaffId staff, CustomerId customer, Basis basis, boolean highValue,
        boolean onShift) {
      return new Touch(at, staff, customer, false, Classification.PUBLIC, basis, highValue, false, onShift);
    }
  }

  /**
   * A search (by exact e-mail, phone or government id) and how many customers it showed.
   *
   * @param customersShown result stubs shown (0 for a miss)
   * @param onShift whether the staff member is on shift
   */
  record Search(Instant at, StaffId staff, int customersShown, boolean onShift) implements Observation {
    public Search {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(staff, "staff");
      if (customersShown < 0) {
        throw new IllegalArgumentException("customersShown must not be negative, was " + customersShown);
      }
    }
  }

  /**
   * A change of one of the person's tickets.
   *
   * @param kind what happened
   * @param requester the ticket's customer
   * @param ticketCreatedAt when the ticket was created (to tell a ticket closed right after it was opened)
   * @param requesterInContact whether the customer contacted support (a ticket, chat or call of
   *     their own) in the last 30 days: a ticket staff create for a customer who did not is what a
   *     fabricated ticket looks like, and rare for real follow-ups
   */
  record TicketFact(Instant at, StaffId staff, Kind kind, CustomerId requester, Instant ticketCreatedAt,
      boolean requesterInContact) implements Observation {
    /** The ticket changes detection listens to. */
    public enum Kind {
      /** A ticket opened by the customer was assigned to the person. */
      ASSIGNED,
      /** The person created a ticket (on a customer's behalf) and holds it. */
      CREATED_BY_SELF,
      /** The person solved or closed the ticket. */
      CLOSED
    }

    public TicketFact {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(staff, "staff");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(requester, "requester");
      Objects.requireNonNull(ticketCreatedAt, "ticketCreatedAt");
    }
  }

  /**
   * The person signed in; whether from a device and a network address never seen for them.
   */
  record SessionStart(Instant at, StaffId staff, boolean newDevice, boolean newAddress) implements Observation {
    public SessionStart {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(staff, "staff");
    }
  }
}
