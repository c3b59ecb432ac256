package dev.custos.server;

import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.detect.Observation;
import dev.custos.incident.Access;
import dev.custos.incident.AccessIndex;
import dev.custos.store.DetectionFacts;
import dev.custos.vault.Classification;
import dev.custos.vault.Commitment;
import dev.custos.vault.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The detector's memory across restarts. Detector state lives in memory; without this, every start
 * would begin from nothing and ask for nothing but a decoy's suspension until the warm-up had passed
 * again (about a week and a half for a desk). At start, the permitted accesses of the last long
 * window (14 days by default) are read back from the access index, which the ledger feeds, and
 * observed again in time order without applying any measure ({@link Containment#relearn}).
 *
 * <p>What the index does not hold is not relearnt: refused requests (the index keeps what was
 * shown), sign-ins from new devices, ticket events (self-created and quickly closed tickets), and
 * accesses to customers since erased (their commitments no longer resolve). Decoy touches are
 * skipped: they contained their viewer when they happened, and the suspension is in the database.
 */
final class DetectorRelearning {
  /** What was relearnt. */
  record Result(long accesses, long searches, long skipped, int staff, int days) {}

  /** At most this many accesses are held in memory at once (one day of the window, or a part of one). */
  private static final Duration SLICE = Duration.ofDays(1);

  private DetectorRelearning() {}

  /**
   * Relearns the accesses of {@code [from, to)}.
   *
   * @param resolve the customers of commitments (those that do not resolve are skipped)
   */
  static Result relearn(Containment containment, AccessIndex index, Function<List<Commitment>, Map<Commitment, CustomerId>> resolve,
      DetectionFacts facts, Instant from, Instant to) {
    Set<StaffId> staff = index.staff();
    for (StaffId s : staff) {
      containment.enrol(s);
    }
    long accesses = 0;
    long searches = 0;
    long skipped = 0;
    int days = 0;
    for (Instant start = from; start.isBefore(to); start = start.plus(SLICE)) {
      Instant end = start.plus(SLICE).isBefore(to) ? start.plus(SLICE) : to;
      List<Access> slice = new ArrayList<>();
      index.byStaff(staff, start, end, slice::add);
      if (slice.isEmpty()) {
        continue;
      }
      days++;
      slice.sort(Comparator.comparing(Access::at).thenComparingLong(Access::ledgerIndex));
      Set<Commitment> commitments = new HashSet<>();
      for (Access a : slice) {
        if (a.action() != Action.SEARCH) {
          commitments.add(a.customer());
        }
      }
      Map<Commitment, CustomerId> customers = resolve.apply(List.copyOf(commitments));
      Set<CustomerId> highValue = facts.highValueOf(customers.values());
      List<Observation> past = new ArrayList<>(slice.size());
      for (int i = 0; i < slice.size(); i++) {
        Access a = slice.get(i);
        boolean onShift = containment.onShift(a.staff(), a.at());
        if (a.action() == Action.SEARCH) {
          // One search entry is one access per customer shown, all with the entry's index.
          int shown = 1;
          while (i + 1 < slice.size() && slice.get(i + 1).ledgerIndex() == a.ledgerIndex()) {
            i++;
            shown++;
          }
          past.add(new Observation.Search(a.at(), a.staff(), shown, onShift));
          searches++;
          continue;
        }
        CustomerId customer = customers.get(a.customer());
        if (customer == null || containment.isDecoy(customer)) {
          skipped++;
          continue;
        }
        boolean reveal = a.action() == Action.REVEAL;
        Classification most = reveal
            ? containment.mostSensitive(a.fields().keySet().stream().filter(a::revealed).map(DetectorRelearning::field).toList())
            : Classification.PUBLIC;
        past.add(new Observation.Touch(a.at(), a.staff(), customer, reveal, most, basis(a.purposeType()),
            highValue.contains(customer), false, onShift));
        accesses++;
      }
      containment.relearn(past);
    }
    return new Result(accesses, searches, skipped, staff.size(), days);
  }

  /** A field named in an entry; a name the catalogue could not hold counts as the most sensitive kind. */
  private static Field field(String name) {
    try {
      return new Field(name);
    } catch (IllegalArgumentException e) {
      return new Field("unknown-field");
    }
  }

  /** The purpose's {@code type} as the access entry writes it ({@code AccessBroker}). */
  static Observation.Basis basis(String purposeType) {
    return switch (purposeType) {
      case "ticket" -> Observation.Basis.OWN_TICKET;
      case "case" -> Observation.Basis.CASE;
      case "break-glass" -> Observation.Basis.BREAK_GLASS;
      default -> Observation.Basis.NONE;
    };
  }
}
