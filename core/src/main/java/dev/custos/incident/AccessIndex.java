package dev.custos.incident;

import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who saw which customer's data, derived from the ledger's {@code custos.access/v1} entries and
 * rebuildable from them. Answers the two questions of an incident fast, however large the ledger:
 * everything a set of staff saw in a window (scope), and everyone who saw a customer (attribution,
 * the customer's own access log).
 */
public interface AccessIndex {
  /**
   * Every access by any of {@code staff} with {@code from <= at < to}, in ledger order per member
   * of staff (no order promised across staff).
   */
  void byStaff(Set<StaffId> staff, Instant from, Instant to, Consumer<Access> sink);

  /** Every access to {@code customer}'s data, by anyone, in ledger order. */
  void byCustomer(Commitment customer, Consumer<Access> sink);

  /**
   * How many distinct customers {@code staff} saw with {@code from <= at < to}: the person's normal
   * volume, against which attribution weighs a match.
   */
  long distinctCustomers(StaffId staff, Instant from, Instant to);

  /** How many distinct customers anyone saw: the population a leaked sample is drawn from. */
  long distinctCustomers();

  /** The staff who accessed anything, sorted. */
  Set<StaffId> staff();

  /** The ledger size the index covers: every entry below it is indexed, none above. */
  long coveredSize();
}
