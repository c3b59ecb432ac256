package dev.custos.incident;

import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The scope of an incident: for a set of staff and a window, every customer whose data they saw,
 * which fields, masked or revealed, when, and how often — computed from the access index.
 *
 * @param staff the staff scoped
 * @param from the window's start (inclusive)
 * @param to the window's end (exclusive)
 * @param exposures one per customer, ordered by first access then commitment
 * @param accesses how many accesses the window holds
 * @param coveredSize the ledger size the index covered when the scope was computed
 */
public record Scope(Set<StaffId> staff, Instant from, Instant to, List<Exposure> exposures, long accesses,
    long coveredSize) {
  public Scope {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    staff = Set.copyOf(staff);
    exposures = List.copyOf(exposures);
  }

  /** Computes the scope of {@code staff} in {@code [from, to)} from {@code index}. */
  public static Scope of(AccessIndex index, Set<StaffId> staff, Instant from, Instant to) {
    Objects.requireNonNull(index, "index");
    if (staff.isEmpty()) {
      throw new IllegalArgumentException("a scope names at least one member of staff");
    }
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("a scope's window must end after it starts");
    }
    long covered = index.coveredSize();
    Map<Commitment, Builder> byCustomer = new HashMap<>();
    long[] accesses = {0};
    index.byStaff(staff, from, to, a -> {
      accesses[0]++;
      byCustomer.computeIfAbsent(a.customer(), c -> new Builder(c, a.at())).add(a);
    });
    List<Exposure> exposures = new ArrayList<>(byCustomer.size());
    for (Builder b : byCustomer.values()) {
      exposures.add(b.build());
    }
    exposures.sort((x, y) -> {
      int c = x.first().compareTo(y.first());
      return c != 0 ? c : x.customer().hex().compareTo(y.customer().hex());
    });
    return new Scope(staff, from, to, exposures, accesses[0], covered);
  }

  /** How many customers had a field of each category shown (a customer counts once per category). */
  public Map<DataCategory, Integer> customersByCategory() {
    Map<DataCategory, Integer> counts = new EnumMap<>(DataCategory.class);
    for (Exposure e : exposures) {
      Set<DataCategory> seen = categoriesOf(e);
      for (DataCategory c : seen) {
        counts.merge(c, 1, Integer::sum);
      }
    }
    return Collections.unmodifiableMap(counts);
  }

  /** How many customers had each field shown, and how many of them in clear. */
  public Map<String, int[]> customersByField() {
    Map<String, int[]> counts = new TreeMap<>();
    for (Exposure e : exposures) {
      e.fields().forEach((field, shown) -> {
        int[] c = counts.computeIfAbsent(field, f -> new int[2]);
        c[0]++;
        if (shown == Exposure.Shown.REVEALED) {
          c[1]++;
        }
      });
    }
    return counts;
  }

  /**
   * How many customers per jurisdiction, as {@code jurisdiction} assigns them (an ISO 3166 code, say);
   * customers it cannot place count under {@code unknown}.
   */
  public Map<String, Integer> customersByJurisdiction(Function<Commitment, java.util.Optional<String>> jurisdiction) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Exposure e : exposures) {
      counts.merge(jurisdiction.apply(e.customer()).orElse("unknown"), 1, Integer::sum);
    }
    return counts;
  }

  private static Set<DataCategory> categoriesOf(Exposure e) {
    Set<DataCategory> seen = java.util.EnumSet.noneOf(DataCategory.class);
    for (String field : e.fields().keySet()) {
      seen.add(DataCategory.of(field));
    }
    return seen;
  }

  private static final class Builder {
    private final Commitment customer;
    private final Map<String, Exposure.Shown> fields = new HashMap<>();
    private final Set<StaffId> staff = new HashSet<>();
    private Instant first;
    private Instant last;
    private int accesses;

    Builder(Commitment customer, Instant at) {
      this.customer = customer;
      this.first = at;
      this.last = at;
    }

    void add(Access a) {
      accesses++;
      staff.add(a.staff());
      if (a.at().isBefore(first)) {
        first = a.at();
      }
      if (a.at().isAfter(last)) {
        last = a.at();
      }
      a.fields().forEach((field, mask) -> {
        Exposure.Shown shown = "none".equals(mask) ? Exposure.Shown.REVEALED : Exposure.Shown.MASKED;
        fields.merge(field, shown, (x, y) -> x == Exposure.Shown.REVEALED || y == Exposure.Shown.REVEALED
            ? Exposure.Shown.REVEALED : Exposure.Shown.MASKED);
      });
    }

    Exposure build() {
      return new Exposure(customer, fields, first, last, staff, accesses);
    }
  }
}
