package dev.custos.server;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.Attribution;
import dev.custos.incident.CustomerDirectory;
import dev.custos.incident.IncidentReads;
import dev.custos.incident.LeakSample;
import dev.custos.incident.NameMatching;
import dev.custos.incident.ResolvedSample;
import dev.custos.vault.Commitment;
import dev.custos.vault.Field;
import dev.custos.vault.SearchKey;
import dev.custos.vault.Vault;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Leak attribution as the server and {@code custos attribute --data} run it: parses a published
 * sample, resolves it through the vault's blind index (decoys set apart), ranks staff and sessions
 * over the access index, and records a {@code custos.incident/v1} {@code attributed} entry — before
 * anything is answered, with commitments and counts only — whose ledger index the answer carries.
 *
 * <p>Records that only a name identifies are matched, when {@link Names} are given, against the names
 * of the customers seen in the window (at most {@link NameMatching#MAX_CUSTOMERS}), read through
 * {@link IncidentReads} (purpose {@code attribution}, a {@code customers.read} entry first) and compared
 * by {@link NameMatching}; no name is kept, logged or answered.
 */
final class LeakAttribution {
  static final String KIND = "custos.incident/v1";
  /** How many of the best-ranked staff the ledger entry names. */
  static final int RECORDED = 5;

  /** Where the access index comes from (the ledger-fed one, or the persistent one when wired). */
  interface IndexSource {
    AccessIndex current() throws Exception;
  }

  /**
   * What to attribute.
   *
   * @param sample the published records (JSON lines or CSV with a header)
   * @param watermarks watermark codes read from leaked pictures
   * @param from the window's start, if any
   * @param to the window's end, if any
   * @param limit how many staff and sessions to answer, 1 to 1000
   */
  record Request(String sample, List<String> watermarks, Optional<Instant> from, Optional<Instant> to, int limit) {
    Request {
      Objects.requireNonNull(sample, "sample");
      watermarks = List.copyOf(watermarks);
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** Bad input: the field it concerns and a one-line explanation without personal data. */
  static final class BadInput extends Exception {
    final String field;

    BadInput(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  /** The field attribution may read to match names. */
  static final Field NAME = new Field("name");

  /**
   * How names are read: the directory resolving the index's commitments to customers, and the reader
   * (which must be allowed {@link #NAME}).
   *
   * @param max the most customers whose names one attribution may read
   */
  record Names(CustomerDirectory directory, IncidentReads reads, int max) {
    Names {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(reads, "reads");
      if (max < 1) {
        throw new IllegalArgumentException("max must be positive");
      }
    }

    Names(CustomerDirectory directory, IncidentReads reads) {
      this(directory, reads, NameMatching.MAX_CUSTOMERS);
    }
  }

  private final IndexSource index;
  private final Vault vault;
  private final Optional<DecoyDesk> decoys;
  private final AccessLedger ledger;
  private final InstantSource clock;
  private final Optional<Names> names;

  LeakAttribution(IndexSource index, Vault vault, Optional<DecoyDesk> decoys, AccessLedger ledger, InstantSource clock) {
    this(index, vault, decoys, ledger, clock, Optional.empty());
  }

  LeakAttribution(IndexSource index, Vault vault, Optional<DecoyDesk> decoys, AccessLedger ledger, InstantSource clock,
      Optional<Names> names) {
    this.index = Objects.requireNonNull(index, "index");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.decoys = Objects.requireNonNull(decoys, "decoys");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.names = Objects.requireNonNull(names, "names");
    names.ifPresent(n -> {
      if (!n.reads().canRead(NAME) && vault.catalogue().contains(NAME)) {
        throw new IllegalArgumentException("the incident reader must be allowed the name field");
      }
    });
  }

  /**
   * Attributes {@code request} for {@code incident}, done by {@code by} (a staff id, or the operator
   * of {@code custos attribute --data}); the answer is a JSON
   * document (maps, lists, strings and numbers).
   *
   * @throws BadInput naming the field (the sample's with its line)
   * @throws AccessLedger.Unavailable when the entry cannot be recorded: nothing is answered then
   */
  Map<String, Object> attribute(String incident, String by, Request request) throws Exception {
    if (request.limit() < 1 || request.limit() > 1000) {
      throw new BadInput("limit", "limit must be from 1 to 1000");
    }
    LeakSample sample;
    try {
      sample = request.sample().isBlank() ? new LeakSample(List.of()) : LeakSample.parse(request.sample());
    } catch (LeakSample.ParseException e) {
      throw new BadInput("sample", "sample " + e.getMessage());
    }
    AccessIndex access = index.current();
    ResolvedSample.Lookup lookup = lookup(access);
    ResolvedSample resolved = ResolvedSample.resolve(sample, lookup);
    int beforeNames = resolved.matched().size() + resolved.decoys().size();
    if (names.isPresent()) {
      resolved = byName(incident, by, sample, resolved, lookup, access, request);
    }
    int byName = resolved.matched().size() + resolved.decoys().size() - beforeNames;
    Attribution.Input input;
    try {
      input = resolved.input(request.watermarks(), request.from().orElse(Instant.MIN), request.to().orElse(Instant.MAX),
          request.limit());
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("watermark") ? "watermarks"
          : e.getMessage().startsWith("the window") ? "to" : "sample";
      throw new BadInput(field, field.equals("sample") ? "sample: no record names a customer the vault holds ("
          + resolved.unresolved().size() + " unresolved) and no watermark was given" : e.getMessage());
    }
    Attribution.Result result = Attribution.attribute(access, input);
    long entry = ledger.append(CanonicalJson.encode(entry(incident, by, sample, resolved, input, result, byName))).index();
    Map<String, Object> d = document(incident, sample, resolved, result, entry);
    if (names.isPresent()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> s = (Map<String, Object>) d.get("sample");
      s.put("matchedByName", byName);
    }
    return d;
  }

  /**
   * Matches the records only a name identifies against the names of the customers seen in the
   * window, read under a {@code customers.read} entry (purpose {@code attribution}) before any is
   * decrypted; nothing is read when no record needs it.
   *
   * @throws AccessLedger.Unavailable when the read cannot be recorded: nothing is read or answered
   */
  private ResolvedSample byName(String incident, String by, LeakSample sample, ResolvedSample resolved,
      ResolvedSample.Lookup lookup, AccessIndex access, Request request) throws AccessLedger.Unavailable {
    List<LeakSample.Record> eligible = NameMatching.eligible(sample, resolved, lookup);
    if (eligible.isEmpty()) {
      return resolved;
    }
    Names n = names.orElseThrow();
    if (!n.reads().canRead(NAME)) {
      return NameMatching.unmatched(resolved, eligible, "names cannot be matched: the vault's catalogue has no name field");
    }
    NameMatching.Seen seen = NameMatching.seen(access, Set.of(), request.from().orElse(Instant.MIN),
        request.to().orElse(Instant.MAX), n.max());
    if (seen.overflow()) {
      return NameMatching.unmatched(resolved, eligible, "names are matched among at most " + n.max()
          + " customers seen in the window, and more were seen: narrow the window (from, to)");
    }
    Map<CustomerId, Commitment> ids = new LinkedHashMap<>();
    for (Commitment c : seen.customers()) {
      n.directory().resolve(c).ifPresent(id -> ids.put(id, c));
    }
    IncidentReads.Outcome o = n.reads().read(incident, by, "attribution", ids.keySet(), Set.of(NAME));
    if (o instanceof IncidentReads.Outcome.Unrecorded u) {
      throw new AccessLedger.Unavailable("the names read for attribution could not be recorded: " + u.why(), null);
    }
    List<NameMatching.Candidate> candidates = new ArrayList<>();
    ((IncidentReads.Outcome.Read) o).values().forEach((id, values) -> {
      String name = values.get(NAME.name());
      if (name != null && ids.containsKey(id)) {
        candidates.add(new NameMatching.Candidate(id, ids.get(id), name));
      }
    });
    return NameMatching.match(resolved, eligible, candidates, lookup);
  }

  private ResolvedSample.Lookup lookup(AccessIndex access) {
    return new ResolvedSample.Lookup() {
      @Override
      public List<CustomerId> find(SearchKey key, String value) {
        return vault.find(key, value);
      }

      @Override
      public Optional<Commitment> commitment(CustomerId customer) {
        return vault.commitment(customer);
      }

      @Override
      public Optional<Set<StaffId>> decoy(CustomerId customer) {
        if (decoys.isEmpty() || !decoys.get().isDecoy(customer)) {
          return Optional.empty();
        }
        Set<StaffId> assigned = new HashSet<>();
        for (StaffId s : access.staff()) {
          if (decoys.get().assigned(s, customer)) {
            assigned.add(s);
          }
        }
        return Optional.of(assigned);
      }
    };
  }

  private Map<String, Object> entry(String incident, String by, LeakSample sample, ResolvedSample resolved,
      Attribution.Input input, Attribution.Result result, int byName) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("event", "attributed");
    e.put("at", clock.instant().toString());
    e.put("incident", incident);
    e.put("by", by);
    e.put("records", (long) sample.records().size());
    e.put("matched", (long) resolved.matched().size());
    e.put("unresolved", (long) resolved.unresolved().size());
    if (names.isPresent()) {
      e.put("matched_by_name", (long) byName);
    }
    TreeSet<String> customers = new TreeSet<>();
    resolved.matched().forEach(m -> customers.add(m.customer().hex()));
    e.put("customers", (long) customers.size());
    e.put("customers_sha256", Containment.sha256(String.join("\n", customers)));
    List<Object> decoyList = new ArrayList<>();
    resolved.decoys().forEach(d -> decoyList.add(d.decoy().hex()));
    e.put("decoys", decoyList);
    e.put("watermarks", List.copyOf(input.watermarks()));
    if (!input.from().equals(Instant.MIN)) {
      e.put("from", input.from().toString());
    }
    if (!input.to().equals(Instant.MAX)) {
      e.put("to", input.to().toString());
    }
    List<Object> top = new ArrayList<>();
    for (Attribution.Candidate c : result.staff().subList(0, Math.min(RECORDED, result.staff().size()))) {
      Map<String, Object> t = new TreeMap<>();
      t.put("staff", c.staff().value());
      t.put("explained", (long) c.explained());
      t.put("log10_chance", log10(c.log10Chance()));
      t.put("certain", c.certain());
      top.add(t);
    }
    e.put("top", top);
    return e;
  }

  static Map<String, Object> document(String incident, LeakSample sample, ResolvedSample resolved, Attribution.Result result,
      long ledgerIndex) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("incident", incident);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("records", sample.records().size());
    s.put("matched", resolved.matched().size());
    s.put("decoys", resolved.decoys().size());
    s.put("customers", result.sampleSize());
    List<Map<String, Object>> unresolved = new ArrayList<>();
    for (ResolvedSample.Unresolved u : resolved.unresolved()) {
      unresolved.add(Map.of("line", u.line(), "reason", u.reason()));
    }
    s.put("unresolved", unresolved);
    d.put("sample", s);
    d.put("population", result.population());
    d.put("coveredSize", result.coveredSize());
    d.put("staff", candidates(result.staff()));
    d.put("sessions", candidates(result.sessions()));
    d.put("unexplained", result.unexplained());
    d.put("ledgerIndex", ledgerIndex);
    return d;
  }

  private static List<Map<String, Object>> candidates(List<Attribution.Candidate> list) {
    List<Map<String, Object>> out = new ArrayList<>();
    int rank = 1;
    for (Attribution.Candidate c : list) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rank", rank++);
      m.put("staff", c.staff().value());
      c.session().ifPresent(x -> m.put("session", x));
      m.put("certain", c.certain());
      m.put("explained", c.explained());
      m.put("explainedLines", c.explainedLines());
      m.put("accessedOnly", c.accessedOnly());
      m.put("volume", c.volume());
      m.put("log10Chance", log10(c.log10Chance()));
      m.put("score", Math.round(c.score() * 1000) / 1000.0);
      List<Map<String, Object>> evidence = new ArrayList<>();
      for (Attribution.Evidence e : c.evidence()) {
        Map<String, Object> x = new LinkedHashMap<>();
        switch (e) {
          case Attribution.DecoyAssigned a -> {
            x.put("type", "decoy-assigned");
            x.put("decoy", a.decoy().hex());
            x.put("line", a.line());
          }
          case Attribution.DecoyTouched t -> {
            x.put("type", "decoy-touched");
            x.put("decoy", t.decoy().hex());
            x.put("line", t.line());
            x.put("ledgerIndex", t.ledgerIndex());
          }
          case Attribution.Watermark w -> {
            x.put("type", "watermark");
            x.put("code", w.code());
            x.put("session", w.session());
          }
        }
        evidence.add(x);
      }
      m.put("evidence", evidence);
      out.add(m);
    }
    return out;
  }

  /** The document as a few lines for people: the ranked staff and sessions with their evidence. */
  @SuppressWarnings("unchecked")
  static String text(Map<String, Object> d) {
    StringBuilder out = new StringBuilder();
    Map<String, Object> s = (Map<String, Object>) d.get("sample");
    out.append(String.format(Locale.ROOT, "incident %s: %s records, %s matched, %s decoys, %d unresolved; %s customers seen "
        + "by anyone (ledger entry %s)%n", d.get("incident"), s.get("records"), s.get("matched"), s.get("decoys"),
        ((List<?>) s.get("unresolved")).size(), d.get("population"), d.get("ledgerIndex")));
    for (Object u : (List<?>) s.get("unresolved")) {
      Map<String, Object> m = (Map<String, Object>) u;
      out.append("  line ").append(m.get("line")).append(" unresolved: ").append(m.get("reason")).append('\n');
    }
    for (String kind : List.of("staff", "sessions")) {
      out.append(kind).append(":\n");
      for (Object o : (List<?>) d.get(kind)) {
        Map<String, Object> c = (Map<String, Object>) o;
        out.append(String.format(Locale.ROOT, "  %2s. %-24s %s explains %s of %s (saw %s customers; chance 10^%s)%s%n",
            c.get("rank"), c.get("staff"), c.containsKey("session") ? "session " + c.get("session") : "",
            c.get("explained"), s.get("customers"), c.get("volume"), c.get("log10Chance"),
            Boolean.TRUE.equals(c.get("certain")) ? "  CERTAIN: " + c.get("evidence") : ""));
      }
    }
    List<?> unexplained = (List<?>) d.get("unexplained");
    if (!unexplained.isEmpty()) {
      out.append("lines nobody explains: ").append(unexplained).append('\n');
    }
    return out.toString();
  }

  /** A log10 chance as text: {@code -inf} for an impossible coincidence, three decimals otherwise. */
  static String log10(double v) {
    return Double.isInfinite(v) ? "-inf" : String.format(Locale.ROOT, "%.3f", v == 0 ? 0.0 : v);
  }
}
