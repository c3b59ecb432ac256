package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import dev.custos.vault.SearchKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves leaked records that only a person's name identifies, against the names of the customers
 * the access index says someone saw in the attribution window. The vault keeps no blind index of
 * names (by design), so the names compared are those of a bounded set of customers, decrypted by the
 * caller through {@link IncidentReads} under a ledger entry; this class only decides, and holds no
 * names longer than a call.
 *
 * <ul>
 *   <li><b>Eligible</b> records ({@link #eligible}): unresolved, with a name leaked in clear, and no
 *       other identifier that points at any customer (an id, e-mail, phone or government id that finds
 *       someone keeps the record's reason: a name never overrides other evidence).</li>
 *   <li><b>Candidates</b> ({@link #seen}): the distinct customers anyone (or the given staff) accessed in
 *       the window, at most {@code max}; beyond that no name is matched at all, because uniqueness
 *       among a truncated set would be a false claim.</li>
 *   <li><b>Matching</b> ({@link #match}): equal {@link PersonName#key keys} only. One customer: the
 *       record is matched (a decoy is set apart as any decoy is); none: unresolved; several:
 *       unresolved as ambiguous.</li>
 * </ul>
 */
public final class NameMatching {
  /** The default bound on the customers whose names are decrypted for one attribution. */
  public static final int MAX_CUSTOMERS = 20_000;

  private NameMatching() {}

  /** A customer whose name may be compared: the id it is read by, its commitment, the name read. */
  public record Candidate(CustomerId customer, Commitment commitment, String name) {
    public Candidate {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(commitment, "commitment");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return "Candidate[" + commitment.hex() + "]"; // never the name
    }
  }

  /**
   * The customers seen in a window.
   *
   * @param customers the distinct customers seen, when at most the bound
   * @param overflow whether more than the bound were seen (then {@code customers} is empty)
   */
  public record Seen(Set<Commitment> customers, boolean overflow) {
    public Seen {
      customers = Set.copyOf(customers);
    }
  }

  /**
   * The records of {@code sample} that {@code resolved} left unresolved, that carry a name leaked in
   * clear, and none of whose other identifiers names any customer through {@code lookup}.
   */
  public static List<LeakSample.Record> eligible(LeakSample sample, ResolvedSample resolved, ResolvedSample.Lookup lookup) {
    Set<Integer> unresolved = new HashSet<>();
    resolved.unresolved().forEach(u -> unresolved.add(u.line()));
    List<LeakSample.Record> out = new ArrayList<>();
    for (LeakSample.Record r : sample.records()) {
      if (!unresolved.contains(r.line())) {
        continue;
      }
      Optional<String> name = r.identifier("name");
      if (name.isEmpty() || LeakSample.masked(name.get()) || PersonName.key(name.get()).isEmpty()) {
        continue; // a masked name only counts as a field leaked masked
      }
      if (!pointsAtNobody(r, lookup)) {
        continue;
      }
      out.add(r);
    }
    return out;
  }

  private static boolean pointsAtNobody(LeakSample.Record r, ResolvedSample.Lookup lookup) {
    Optional<String> id = r.identifier("customer_id");
    if (id.isPresent()) {
      try {
        if (lookup.commitment(CustomerId.parse(id.get())).isPresent()) {
          return false;
        }
      } catch (IllegalArgumentException e) {
        // not a customer id: it points at nobody
      }
    }
    for (SearchKey key : SearchKey.values()) {
      Optional<String> value = r.identifier(key.field().name());
      if (value.isEmpty() || LeakSample.masked(value.get()) || key.normalise(value.get()).isEmpty()) {
        continue;
      }
      if (!lookup.find(key, value.get()).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The distinct customers {@code staff} (everyone in the index when empty) accessed with
   * {@code from <= at < to}, stopping as soon as more than {@code max} are seen. When the index's
   * whole population is at most {@code max}, or the sum of each person's volume in the window is,
   * no more than that many customers can be collected; otherwise the walk stops at the first
   * customer over the bound.
   */
  public static Seen seen(AccessIndex index, Set<StaffId> staff, Instant from, Instant to, int max) {
    Objects.requireNonNull(index, "index");
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive");
    }
    Set<StaffId> who = staff.isEmpty() ? index.staff() : Set.copyOf(staff);
    if (who.isEmpty()) {
      return new Seen(Set.of(), false);
    }
    Set<Commitment> customers = new LinkedHashSet<>();
    try {
      index.byStaff(who, from, to, a -> {
        if (customers.add(a.customer()) && customers.size() > max) {
          throw Overflow.INSTANCE;
        }
      });
    } catch (Overflow o) {
      return new Seen(Set.of(), true);
    }
    return new Seen(customers, false);
  }

  /** Stops a walk of the index once the bound is passed (no stack trace: it is control flow). */
  private static final class Overflow extends RuntimeException {
    static final Overflow INSTANCE = new Overflow();

    private Overflow() {
      super("more customers than the bound", null, false, false);
    }
  }

  /**
   * {@code resolved} with every record of {@code eligible} marked unresolved for {@code reason}
   * (replacing its earlier reason): for when names could not be compared.
   */
  public static ResolvedSample unmatched(ResolvedSample resolved, List<LeakSample.Record> eligible, String reason) {
    Map<Integer, String> reasons = new HashMap<>();
    eligible.forEach(r -> reasons.put(r.line(), reason));
    return rebuild(resolved, List.of(), List.of(), reasons);
  }

  /**
   * {@code resolved} with each record of {@code eligible} matched by name against {@code candidates}:
   * a key equal to exactly one candidate's matches it (set apart as a decoy when {@code lookup} says
   * it is one), none or several leave the record unresolved saying which. The matched records keep
   * every leaked field, the name among them, as it leaked.
   */
  public static ResolvedSample match(ResolvedSample resolved, List<LeakSample.Record> eligible, List<Candidate> candidates,
      ResolvedSample.Lookup lookup) {
    Map<String, Set<Candidate>> byKey = new HashMap<>();
    for (Candidate c : candidates) {
      PersonName.key(c.name()).ifPresent(k -> byKey.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c));
    }
    List<ResolvedSample.Match> matched = new ArrayList<>();
    List<Attribution.DecoyMatch> decoys = new ArrayList<>();
    Map<Integer, String> reasons = new HashMap<>();
    for (LeakSample.Record r : eligible) {
      String key = PersonName.key(r.identifier("name").orElseThrow()).orElseThrow();
      Set<Candidate> found = byKey.getOrDefault(key, Set.of());
      Set<Commitment> distinct = new HashSet<>();
      found.forEach(c -> distinct.add(c.commitment()));
      if (distinct.isEmpty()) {
        reasons.put(r.line(), "the name matches none of the " + candidates.size()
            + " customers seen in the window (names are compared exactly, after normalisation)");
      } else if (distinct.size() > 1) {
        reasons.put(r.line(), distinct.size() + " customers seen in the window have this name; the record is ambiguous");
      } else {
        Candidate c = found.iterator().next();
        Optional<Set<StaffId>> decoy = lookup.decoy(c.customer());
        if (decoy.isPresent()) {
          decoys.add(new Attribution.DecoyMatch(c.commitment(), r.line(), decoy.get()));
        } else {
          matched.add(new ResolvedSample.Match(r.line(), c.commitment(), r.leakedFields()));
        }
      }
    }
    return rebuild(resolved, matched, decoys, reasons);
  }

  private static ResolvedSample rebuild(ResolvedSample resolved, List<ResolvedSample.Match> matched,
      List<Attribution.DecoyMatch> decoys, Map<Integer, String> reasons) {
    Set<Integer> now = new HashSet<>();
    matched.forEach(m -> now.add(m.line()));
    decoys.forEach(d -> now.add(d.line()));
    List<ResolvedSample.Match> allMatched = new ArrayList<>(resolved.matched());
    allMatched.addAll(matched);
    allMatched.sort(Comparator.comparingInt(ResolvedSample.Match::line));
    List<Attribution.DecoyMatch> allDecoys = new ArrayList<>(resolved.decoys());
    allDecoys.addAll(decoys);
    allDecoys.sort(Comparator.comparingInt(Attribution.DecoyMatch::line));
    List<ResolvedSample.Unresolved> unresolved = new ArrayList<>();
    for (ResolvedSample.Unresolved u : resolved.unresolved()) {
      if (!now.contains(u.line())) {
        unresolved.add(reasons.containsKey(u.line()) ? new ResolvedSample.Unresolved(u.line(), reasons.get(u.line())) : u);
      }
    }
    return new ResolvedSample(allMatched, allDecoys, unresolved);
  }
}
