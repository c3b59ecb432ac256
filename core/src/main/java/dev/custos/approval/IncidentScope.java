package dev.custos.approval;

import dev.custos.access.CustomerId;

/**
 * Whether a customer's data is in the scope of an open incident (issue 8). Until incidents exist,
 * {@link #NONE} is wired: no customer is in any scope, so the {@code incident-scope} rule never fires.
 */
@FunctionalInterface
public interface IncidentScope {
  boolean contains(CustomerId customer);

  /** No open incident covers anyone. */
  IncidentScope NONE = customer -> false;
}
