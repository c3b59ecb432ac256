package dev.custos.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One access request as the in-process event bus carries it to detection, after its ledger entry is
 * durable. Unlike the entry it names the customer by id: the bus never leaves the process.
 *
 * @param at when the request was decided
 * @param staff who asked
 * @param session the session handle
 * @param action what they asked to do
 * @param customer whose data (empty for a search)
 * @param purpose why
 * @param plan the fields shown and their masks, when something was shown
 * @param decision {@code permit}, {@code not-found} or the deny reason's wire name
 * @param ledgerIndex the index of the request's ledger entry
 * @param customersShown how many customers' data was shown (1 for a shown view, the stubs of a search)
 */
public record AccessEvent(Instant at, StaffId staff, String session, Action action, Optional<CustomerId> customer,
    Purpose purpose, Optional<MaskPlan> plan, String decision, long ledgerIndex, int customersShown) {
  public AccessEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(decision, "decision");
  }
}
