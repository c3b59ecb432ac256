package dev.custos.incident;

import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Leak attribution: who, among the staff and sessions the access index knows, saw what a leaked
 * sample contains, and how unlikely their overlap with it is to be a coincidence given how many
 * customers they see in their normal work. Pure and deterministic over an {@link AccessIndex}.
 *
 * <p>A record is <em>explained</em> by a person (or session) when they accessed its customer in the
 * window and saw every field the record leaked, in clear where it leaked in clear: a published clear
 * phone number is explained only by a reveal of the phone, a masked one by any view that showed it.
 * A record whose fields are unknown is explained by any access to its customer. For each candidate,
 * with {@code N} the customers anyone saw, {@code n} the customers the candidate saw in the window,
 * {@code s} the matched sample's size and {@code k} the records the candidate explains, the chance
 * is the hypergeometric tail {@code P(X >= k)} ({@link Overlap}); the score is {@code -log10} of it.
 *
 * <p>Certainty comes from elsewhere: a decoy customer in the sample names whoever touched it and the
 * staff it was assigned to (decoys appear only in their own search results; no real ticket names
 * one), and a watermark code read from a picture of the screen names the session it was drawn for.
 * Certain candidates rank first, then by score.
 */
public final class Attribution {
  /** Sessions are ranked for this many of the best-ranked staff (and every certain one). */
  static final int SESSION_STAFF = 25;

  private Attribution() {}

  /**
   * What to attribute.
   *
   * @param sample the matched records of the leak
   * @param decoys the decoys found in the leak, each with the staff it was assigned to
   * @param watermarks watermark codes read from leaked pictures, normalised ({@link WatermarkCode#normalise})
   * @param from the window's start (inclusive): accesses before it are ignored
   * @param to the window's end (exclusive)
   * @param limit how many staff and sessions to return, at least 1
   */
  public record Input(List<ResolvedSample.Match> sample, List<DecoyMatch> decoys, List<String> watermarks, Instant from,
      Instant to, int limit) {
    public Input {
      sample = List.copyOf(sample);
      decoys = List.copyOf(decoys);
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("the window must end after it starts");
      }
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be at least 1");
      }
      List<String> codes = new ArrayList<>();
      for (String w : watermarks) {
        codes.add(WatermarkCode.normalise(w).orElseThrow(
            () -> new IllegalArgumentException("watermark '" + w + "' is not a code of " + WatermarkCode.LENGTH
                + " Crockford base32 characters")));
      }
      watermarks = List.copyOf(codes);
      if (sample.isEmpty() && decoys.isEmpty() && watermarks.isEmpty()) {
        throw new IllegalArgumentException("nothing to attribute: no matched record, decoy or watermark");
      }
    }

    /** A sample over all time, returning the best 20. */
    public static Input of(List<ResolvedSample.Match> sample) {
      return new Input(sample, List.of(), List.of(), Instant.MIN, Instant.MAX, 20);
    }
  }

  /**
   * A decoy customer found in the leak.
   *
   * @param decoy its commitment
   * @param line the record's line in the sample (0 when it did not come from a line)
   * @param assignedTo the staff whose search results may show it
   */
  public record DecoyMatch(Commitment decoy, int line, Set<StaffId> assignedTo) {
    public DecoyMatch {
      Objects.requireNonNull(decoy, "decoy");
      assignedTo = Set.copyOf(assignedTo);
    }
  }

  /** Why a candidate is named with certainty. */
  public sealed interface Evidence permits DecoyAssigned, DecoyTouched, Watermark {}

  /** A leaked decoy was assigned to the person: only their searches could show it. */
  public record DecoyAssigned(Commitment decoy, int line) implements Evidence {}

  /** The person (session) touched a leaked decoy; {@code ledgerIndex} is the entry that records it. */
  public record DecoyTouched(Commitment decoy, int line, long ledgerIndex) implements Evidence {}

  /** A leaked picture carries the watermark code of the session. */
  public record Watermark(String code, String session) implements Evidence {}

  /**
   * One ranked candidate: a member of staff, or one of their sessions.
   *
   * @param staff the member of staff
   * @param session the session handle, for a session's ranking; empty for a person's
   * @param explained how many of the sample's distinct customers the candidate explains
   * @param explainedLines the lines of the records explained, ascending
   * @param accessedOnly how many further records' customers the candidate accessed without seeing
   *     every leaked field as it leaked (masked where it leaked in clear, or not at all)
   * @param volume how many distinct customers the candidate saw in the window
   * @param log10Chance {@code log10} of the chance of explaining at least {@code explained} records by
   *     coincidence (0: certainly a coincidence is possible; {@code -inf}: impossible)
   * @param score {@code -log10Chance}, capped at 1000 to stay finite
   * @param evidence what names the candidate with certainty; empty when nothing does
   */
  public record Candidate(StaffId staff, Optional<String> session, int explained, List<Integer> explainedLines,
      int accessedOnly, long volume, double log10Chance, double score, List<Evidence> evidence) {
    public Candidate {
      Objects.requireNonNull(staff, "staff");
      Objects.requireNonNull(session, "session");
      explainedLines = List.copyOf(explainedLines);
      evidence = List.copyOf(evidence);
    }

    /** Whether a decoy or a watermark names the candidate. */
    public boolean certain() {
      return !evidence.isEmpty();
    }

    /** 0 when the ledger names the candidate (a decoy touched, a watermark), 1 when a leaked decoy was assigned to them, 2 otherwise. */
    int tier() {
      if (evidence.stream().anyMatch(e -> !(e instanceof DecoyAssigned))) {
        return 0;
      }
      return evidence.isEmpty() ? 2 : 1;
    }

    /** The chance itself (may underflow to 0 where {@link #log10Chance} does not). */
    public double chance() {
      return Math.pow(10, log10Chance);
    }
  }

  /**
   * The attribution.
   *
   * @param sampleSize the matched records' distinct customers
   * @param population the customers anyone saw (the population the chance is computed against)
   * @param staff the best-ranked staff, best first
   * @param sessions the best-ranked sessions, best first
   * @param unexplained the lines no member of staff explains (customers nobody saw as leaked)
   * @param coveredSize the ledger size the index covered
   */
  public record Result(int sampleSize, long population, List<Candidate> staff, List<Candidate> sessions,
      List<Integer> unexplained, long coveredSize) {
    public Result {
      staff = List.copyOf(staff);
      sessions = List.copyOf(sessions);
      unexplained = List.copyOf(unexplained);
    }

    /** The best-ranked member of staff, if anyone explains anything or is named. */
    public Optional<StaffId> first() {
      return staff.isEmpty() ? Optional.empty() : Optional.of(staff.getFirst().staff());
    }
  }

  /**
   * The ranking: first those the ledger itself names (a decoy touched, a watermark), then those a
   * leaked decoy was assigned to, then by score, more records explained, lower volume, id and session.
   */
  static final Comparator<Candidate> RANKING = Comparator.comparingInt(Candidate::tier)
      .thenComparing(Comparator.comparingDouble(Candidate::score).reversed())
      .thenComparing(Comparator.comparingInt(Candidate::explained).reversed())
      .thenComparingLong(Candidate::volume)
      .thenComparing(c -> c.staff().value())
      .thenComparing(c -> c.session().orElse(""));

  /** Attributes {@code input} over {@code index}. */
  public static Result attribute(AccessIndex index, Input input) {
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(input, "input");
    long covered = index.coveredSize();
    // What each person, and each of their sessions, saw of each sampled customer.
    Map<Commitment, List<ResolvedSample.Match>> lines = new LinkedHashMap<>();
    for (ResolvedSample.Match m : input.sample()) {
      lines.computeIfAbsent(m.customer(), c -> new ArrayList<>()).add(m);
    }
    Map<StaffId, Tally> people = new HashMap<>();
    for (Map.Entry<Commitment, List<ResolvedSample.Match>> e : lines.entrySet()) {
      Map<StaffId, Map<String, Exposure.Shown>> seenBy = new HashMap<>();
      index.byCustomer(e.getKey(), a -> {
        if (!a.at().isBefore(input.from()) && a.at().isBefore(input.to())) {
          merge(seenBy.computeIfAbsent(a.staff(), s -> new HashMap<>()), a);
        }
      });
      seenBy.forEach((staff, fields) -> {
        Tally t = people.computeIfAbsent(staff, s -> new Tally());
        for (ResolvedSample.Match m : e.getValue()) {
          t.count(m, fields);
        }
      });
    }
    // Certainty: decoys and watermarks.
    Map<StaffId, List<Evidence>> personEvidence = new TreeMap<>(Comparator.comparing(StaffId::value));
    Map<String, List<Evidence>> sessionEvidence = new TreeMap<>();
    Map<String, StaffId> sessionOwner = new HashMap<>();
    for (DecoyMatch d : input.decoys()) {
      for (StaffId s : new TreeSet<>(comparingValue(d.assignedTo()))) {
        personEvidence.computeIfAbsent(s, x -> new ArrayList<>()).add(new DecoyAssigned(d.decoy(), d.line()));
      }
      index.byCustomer(d.decoy(), a -> {
        if (!a.at().isBefore(input.from()) && a.at().isBefore(input.to())) {
          DecoyTouched ev = new DecoyTouched(d.decoy(), d.line(), a.ledgerIndex());
          personEvidence.computeIfAbsent(a.staff(), x -> new ArrayList<>()).add(ev);
          sessionEvidence.computeIfAbsent(a.session(), x -> new ArrayList<>()).add(ev);
          sessionOwner.put(a.session(), a.staff());
        }
      });
    }
    if (!input.watermarks().isEmpty()) {
      Set<String> wanted = new HashSet<>(input.watermarks());
      Set<String> checked = new HashSet<>();
      index.byStaff(index.staff(), input.from(), input.to(), a -> {
        if (checked.add(a.session())) {
          String code = WatermarkCode.of(a.session());
          if (wanted.contains(code)) {
            Watermark ev = new Watermark(code, a.session());
            personEvidence.computeIfAbsent(a.staff(), x -> new ArrayList<>()).add(ev);
            sessionEvidence.computeIfAbsent(a.session(), x -> new ArrayList<>()).add(ev);
            sessionOwner.put(a.session(), a.staff());
          }
        }
      });
    }
    int s = lines.size();
    long population = Math.max(index.distinctCustomers(), s);
    List<Candidate> staff = new ArrayList<>();
    Set<StaffId> everyone = new HashSet<>(people.keySet());
    everyone.addAll(personEvidence.keySet());
    for (StaffId who : everyone) {
      Tally t = people.getOrDefault(who, new Tally());
      long volume = t.explained.isEmpty() && t.accessedOnly == 0 ? 0 : index.distinctCustomers(who, input.from(), input.to());
      staff.add(candidate(who, Optional.empty(), t, volume, population, s, personEvidence.getOrDefault(who, List.of())));
    }
    staff.sort(RANKING);
    // Sessions: of the best-ranked staff and of every certain one.
    Set<StaffId> sessionStaff = new HashSet<>();
    for (int i = 0; i < staff.size() && i < SESSION_STAFF; i++) {
      sessionStaff.add(staff.get(i).staff());
    }
    sessionStaff.addAll(sessionOwner.values());
    List<Candidate> sessions = sessions(index, input, lines, sessionStaff, sessionEvidence, population, s);
    // Lines nobody explains.
    Set<Integer> explainedAnywhere = new HashSet<>();
    for (Tally t : people.values()) {
      explainedAnywhere.addAll(t.explained);
    }
    List<Integer> unexplained = new ArrayList<>();
    for (ResolvedSample.Match m : input.sample()) {
      if (!explainedAnywhere.contains(m.line())) {
        unexplained.add(m.line());
      }
    }
    return new Result(s, population, staff.subList(0, Math.min(input.limit(), staff.size())),
        sessions.subList(0, Math.min(input.limit(), sessions.size())), unexplained, covered);
  }

  private static List<Candidate> sessions(AccessIndex index, Input input, Map<Commitment, List<ResolvedSample.Match>> lines,
      Set<StaffId> staff, Map<String, List<Evidence>> evidence, long population, int s) {
    if (staff.isEmpty()) {
      return List.of();
    }
    Map<String, StaffId> owner = new HashMap<>();
    Map<String, Set<Commitment>> volume = new HashMap<>();
    Map<String, Map<Commitment, Map<String, Exposure.Shown>>> seen = new HashMap<>();
    index.byStaff(staff, input.from(), input.to(), a -> {
      owner.putIfAbsent(a.session(), a.staff());
      volume.computeIfAbsent(a.session(), x -> new HashSet<>()).add(a.customer());
      if (lines.containsKey(a.customer())) {
        merge(seen.computeIfAbsent(a.session(), x -> new HashMap<>()).computeIfAbsent(a.customer(), c -> new HashMap<>()), a);
      }
    });
    List<Candidate> out = new ArrayList<>();
    for (Map.Entry<String, StaffId> e : owner.entrySet()) {
      String session = e.getKey();
      Map<Commitment, Map<String, Exposure.Shown>> mine = seen.getOrDefault(session, Map.of());
      List<Evidence> ev = evidence.getOrDefault(session, List.of());
      if (mine.isEmpty() && ev.isEmpty()) {
        continue;
      }
      Tally t = new Tally();
      mine.forEach((customer, fields) -> {
        for (ResolvedSample.Match m : lines.get(customer)) {
          t.count(m, fields);
        }
      });
      out.add(candidate(e.getValue(), Optional.of(session), t, volume.get(session).size(), population, s, ev));
    }
    out.sort(RANKING);
    return out;
  }

  private static Candidate candidate(StaffId who, Optional<String> session, Tally t, long volume, long population, int s,
      List<Evidence> evidence) {
    int k = t.customers.size();
    long n = Math.max(volume, k);
    long pop = Math.max(population, n);
    double log10 = s == 0 ? 0 : Overlap.log10Tail(pop, n, s, k);
    double score = Math.min(1000, -log10);
    List<Integer> explained = new ArrayList<>(new TreeSet<>(t.explained));
    return new Candidate(who, session, k, explained, t.accessedOnly, volume, log10, score == -0.0 ? 0 : score, evidence);
  }

  /** Whether what a person saw of a customer explains a record: every leaked field seen, in clear where it leaked in clear. */
  static boolean explains(Map<String, Exposure.Shown> seen, Map<String, Exposure.Shown> leaked) {
    for (Map.Entry<String, Exposure.Shown> f : leaked.entrySet()) {
      Exposure.Shown shown = seen.get(f.getKey());
      if (shown == null || (f.getValue() == Exposure.Shown.REVEALED && shown != Exposure.Shown.REVEALED)) {
        return false;
      }
    }
    return true;
  }

  private static void merge(Map<String, Exposure.Shown> fields, Access a) {
    a.fields().forEach((field, mask) -> {
      Exposure.Shown shown = "none".equals(mask) ? Exposure.Shown.REVEALED : Exposure.Shown.MASKED;
      fields.merge(field, shown, (x, y) -> x == Exposure.Shown.REVEALED || y == Exposure.Shown.REVEALED
          ? Exposure.Shown.REVEALED : Exposure.Shown.MASKED);
    });
  }

  private static TreeSet<StaffId> comparingValue(Set<StaffId> staff) {
    TreeSet<StaffId> sorted = new TreeSet<>(Comparator.comparing(StaffId::value));
    sorted.addAll(staff);
    return sorted;
  }

  /** The records one candidate explains, and those whose customer they saw without explaining them. */
  private static final class Tally {
    final List<Integer> explained = new ArrayList<>();
    final Set<Commitment> customers = new HashSet<>();
    int accessedOnly;

    void count(ResolvedSample.Match m, Map<String, Exposure.Shown> seen) {
      if (explains(seen, m.fields())) {
        explained.add(m.line());
        customers.add(m.customer());
      } else {
        accessedOnly++;
      }
    }
  }
}
