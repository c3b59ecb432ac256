package dev.custos.access;

import java.util.Objects;
import java.util.Optional;

/**
 * What the broker loaded from the stores for the purpose of a request, before deciding, so that
 * {@link AccessPolicy#decide} needs no I/O: the ticket of a ticket purpose, the case of a case
 * purpose. Facts of another ticket or case than the purpose names are treated as unknown.
 *
 * @param ticket the ticket the purpose names, if the store has it
 * @param kase the case the purpose names, if the store has it
 */
public record PurposeFacts(Optional<Ticket> ticket, Optional<Case> kase) {
  private static final PurposeFacts NONE = new PurposeFacts(Optional.empty(), Optional.empty());

  public PurposeFacts {
    Objects.requireNonNull(ticket, "ticket");
    Objects.requireNonNull(kase, "case");
  }

  /** No facts (no purpose, break-glass, search, or nothing found). */
  public static PurposeFacts none() {
    return NONE;
  }

  /** The facts of a ticket purpose. */
  public static PurposeFacts of(Ticket ticket) {
    return new PurposeFacts(Optional.of(ticket), Optional.empty());
  }

  /** The facts of a case purpose. */
  public static PurposeFacts of(Case kase) {
    return new PurposeFacts(Optional.empty(), Optional.of(kase));
  }
}
