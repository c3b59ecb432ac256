package dev.custos.incident;

import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * An access index held in memory: for the simulator and for tests of what is built on the index.
 * Accesses must be added in ledger order. Thread-safe.
 */
public final class MemoryAccessIndex implements AccessIndex {
  private final Map<StaffId, List<Access>> byStaff = new HashMap<>();
  private final Map<Commitment, List<Access>> byCustomer = new HashMap<>();
  private long coveredSize;

  /** Adds an access; its ledger index must not be below one already added. */
  public synchronized void add(Access access) {
    if (access.ledgerIndex() + 1 < coveredSize) {
      throw new IllegalArgumentException("access " + access.ledgerIndex() + " is out of ledger order");
    }
    byStaff.computeIfAbsent(access.staff(), s -> new ArrayList<>()).add(access);
    byCustomer.computeIfAbsent(access.customer(), c -> new ArrayList<>()).add(access);
    coveredSize = Math.max(coveredSize, access.ledgerIndex() + 1);
  }

  /** Records that the ledger up to {@code size} has been read (entries without accesses included). */
  public synchronized void cover(long size) {
    coveredSize = Math.max(coveredSize, size);
  }

  @Override
  public synchronized void byStaff(Set<StaffId> staff, Instant from, Instant to, Consumer<Access> sink) {
    for (StaffId s : new TreeSet<>(comparingValue(staff))) {
      for (Access a : byStaff.getOrDefault(s, List.of())) {
        if (!a.at().isBefore(from) && a.at().isBefore(to)) {
          sink.accept(a);
        }
      }
    }
  }

  @Override
  public synchronized void byCustomer(Commitment customer, Consumer<Access> sink) {
    byCustomer.getOrDefault(customer, List.of()).forEach(sink);
  }

  @Override
  public synchronized long distinctCustomers(StaffId staff, Instant from, Instant to) {
    Set<Commitment> seen = new HashSet<>();
    byStaff(Set.of(staff), from, to, a -> seen.add(a.customer()));
    return seen.size();
  }

  @Override
  public synchronized long distinctCustomers() {
    return byCustomer.size();
  }

  @Override
  public synchronized Set<StaffId> staff() {
    return Collections.unmodifiableSet(comparingValue(byStaff.keySet()));
  }

  @Override
  public synchronized long coveredSize() {
    return coveredSize;
  }

  private static TreeSet<StaffId> comparingValue(Set<StaffId> staff) {
    TreeSet<StaffId> sorted = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
    sorted.addAll(staff);
    return sorted;
  }
}
