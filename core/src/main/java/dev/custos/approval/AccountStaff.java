package dev.custos.approval;

import dev.custos.access.CustomerId;

/**
 * Whether the member of staff who last touched a customer's account is contained (suspended by
 * detection). {@link #NONE} answers no for everyone; the server wires the real answer when
 * containment is available.
 */
@FunctionalInterface
public interface AccountStaff {
  boolean lastToucherContained(CustomerId customer);

  /** Nobody is contained. */
  AccountStaff NONE = customer -> false;
}
