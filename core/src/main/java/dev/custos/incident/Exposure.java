package dev.custos.incident;

import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an incident's staff saw of one customer within its window: the unit of the scope, of the
 * customer's notification and of the regulator report's counts.
 *
 * @param customer the customer, as the ledger's commitment
 * @param fields each field shown, and whether it was ever shown in clear ({@link Shown#REVEALED}) or
 *     only masked
 * @param first the first access in the window
 * @param last the last access in the window
 * @param staff who saw it
 * @param accesses how many accesses
 */
public record Exposure(Commitment customer, Map<String, Shown> fields, Instant first, Instant last, Set<StaffId> staff,
    int accesses) {
  /** How a field was shown. */
  public enum Shown {
    /** Only under its mask. */
    MASKED,
    /** At least once in clear. */
    REVEALED
  }

  public Exposure {
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(last, "last");
    fields = Collections.unmodifiableMap(new TreeMap<>(fields));
    TreeSet<StaffId> sorted = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
    sorted.addAll(staff);
    staff = Collections.unmodifiableSet(sorted);
    if (accesses < 1) {
      throw new IllegalArgumentException("an exposure has at least one access");
    }
  }
}
