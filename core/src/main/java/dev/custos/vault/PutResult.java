package dev.custos.vault;

import dev.custos.access.CustomerId;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What {@link Vault#put} did.
 *
 * @param customer the customer written
 * @param outcome created, updated or unchanged
 * @param changed the fields whose stored value changed (all given fields when created; none when unchanged)
 */
public record PutResult(CustomerId customer, Outcome outcome, Set<Field> changed) {
  /** Whether the customer was new, changed, or already held exactly these values. */
  public enum Outcome { CREATED, UPDATED, UNCHANGED }

  public PutResult {
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(outcome, "outcome");
    SortedSet<Field> sorted = new TreeSet<>(changed);
    changed = java.util.Collections.unmodifiableSortedSet(sorted);
    if ((outcome == Outcome.UNCHANGED) != changed.isEmpty() && outcome != Outcome.CREATED) {
      throw new IllegalArgumentException("an update changes at least one field, and unchanged changes none");
    }
  }

  /** Whether the customer was created by this put. */
  public boolean created() {
    return outcome == Outcome.CREATED;
  }
}
