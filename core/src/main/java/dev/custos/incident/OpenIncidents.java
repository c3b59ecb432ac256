package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.approval.IncidentScope;
import dev.custos.vault.Commitment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Whether a customer is in the scope of an incident not yet closed: some suspect of the incident
 * accessed the customer's data within its window. What the withdrawal rule {@code incident-scope}
 * asks ({@link dev.custos.approval.WithdrawalRules}). Looked up through the access index's
 * per-customer list, so the cost is the customer's own accesses, not the scope's size.
 *
 * <h2>Security guarantees</h2>
 * Fails closed: if the incidents, the index or the customer's commitment cannot be read, the
 * customer counts as in scope (a withdrawal is held for approval rather than let through).
 */
public final class OpenIncidents implements IncidentScope {
  private final IncidentStore incidents;
  private final AccessIndex index;
  private final Function<CustomerId, Optional<Commitment>> commitments;

  public OpenIncidents(IncidentStore incidents, AccessIndex index,
      Function<CustomerId, Optional<Commitment>> commitments) {
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.index = Objects.requireNonNull(index, "index");
    this.commitments = Objects.requireNonNull(commitments, "commitments");
  }

  @Override
  public boolean contains(CustomerId customer) {
    try {
      List<Incident> active = incidents.active();
      if (active.isEmpty()) {
        return false;
      }
      Optional<Commitment> c = commitments.apply(customer);
      if (c.isEmpty()) {
        // Not in the vault (never stored, or erased): no data of theirs to have leaked.
        return false;
      }
      boolean[] hit = {false};
      index.byCustomer(c.get(), a -> {
        if (!hit[0]) {
          for (Incident i : active) {
            if (i.covers(a.staff(), a.at())) {
              hit[0] = true;
              break;
            }
          }
        }
      });
      return hit[0];
    } catch (RuntimeException e) {
      return true;
    }
  }
}
