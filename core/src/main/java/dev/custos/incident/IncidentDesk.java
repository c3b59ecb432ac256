package dev.custos.incident;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.StaffId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * Opens incidents and moves them along, each step recorded as one {@value #KIND} ledger entry
 * <em>before</em> it takes effect: if the ledger does not take the entry, nothing changes
 * ({@link Result.Unrecorded}). Changes are optimistic: each names the version it was based on; of two
 * concurrent changes exactly one is stored, and if the loser's entry was already written, a second
 * entry says it was superseded, so the ledger never claims a change that did not happen.
 *
 * <p>No personal data enters an entry: the title, notes and step texts appear as their SHA-256;
 * customers appear only as counts here (the reads of customer data for an incident go through
 * {@link IncidentReads}, which names them by commitment).
 */
public final class IncidentDesk {
  /** The ledger entry kind of every incident step. */
  public static final String KIND = "custos.incident/v1";

  /** The kinds of free-text step security records on the timeline. */
  public enum ActionType {
    CONTAINMENT("containment"),
    REMEDIATION("remediation"),
    NOTE("note");

    private final String wireName;

    ActionType(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static ActionType parse(String text) {
      for (ActionType t : values()) {
        if (t.wireName.equals(text)) {
          return t;
        }
      }
      throw new IllegalArgumentException("must be one of containment, remediation, note");
    }
  }

  /** What came of one step. */
  public sealed interface Result {
    /** Done and recorded at {@code ledgerIndex}. */
    record Done(Incident incident, long ledgerIndex) implements Result {}

    /** No such incident; nothing recorded. */
    record NotFound(IncidentId id) implements Result {}

    /** Refused: a stale version or a transition the status does not allow; nothing changed. */
    record Conflict(String why) implements Result {}

    /** The ledger did not take the entry; nothing changed. */
    record Unrecorded(String why) implements Result {}
  }

  private final IncidentStore store;
  private final AccessLedger ledger;
  private final InstantSource clock;
  private final RandomGenerator random;

  public IncidentDesk(IncidentStore store, AccessLedger ledger, InstantSource clock, RandomGenerator random) {
    this.store = Objects.requireNonNull(store, "store");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  public Optional<Incident> find(IncidentId id) {
    return store.find(id);
  }

  public List<Incident> list(Optional<IncidentStatus> status, int limit) {
    return store.list(status, limit);
  }

  public List<IncidentStep> timeline(IncidentId id) {
    return store.timeline(id);
  }

  /**
   * Opens an incident.
   *
   * @throws IllegalArgumentException naming the field when the title, notes, suspects or window are invalid
   */
  public Result open(StaffId by, String title, String notes, Set<StaffId> suspects, Instant from, Instant to) {
    Instant now = clock.instant();
    IncidentId id;
    synchronized (random) {
      id = IncidentId.random(random);
    }
    Incident incident = new Incident(id, title, notes, suspects, from, to, IncidentStatus.OPEN, Optional.empty(), by,
        now, now, 0);
    Map<String, Object> e = entry("opened", id, by.value(), now);
    e.put("title_sha256", sha256(title));
    e.put("notes_sha256", sha256(notes));
    e.put("suspects", incident.suspects().stream().map(StaffId::value).toList());
    e.put("from", from.toString());
    e.put("to", to.toString());
    long index;
    try {
      index = ledger.append(CanonicalJson.encode(e)).index();
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(ex.getMessage());
    }
    IncidentStep step = new IncidentStep(now, by.value(), "opened", Map.of("status", "open"), Optional.empty(), index);
    if (!store.create(incident, step)) {
      // 64 random bits collided: vanishingly rare; the entry names an incident that does not exist.
      return new Result.Conflict("incident id " + id + " is taken; open it again");
    }
    return new Result.Done(incident, index);
  }

  /** Moves the incident to {@code next}, if it is still at {@code version} and its status allows it. */
  public Result move(StaffId by, IncidentId id, long version, IncidentStatus next) {
    return change(by, id, version, current -> {
      if (!current.status().next().contains(next)) {
        return Optional.of("incident " + id + " is " + current.status().wireName() + "; it cannot become "
            + next.wireName());
      }
      return Optional.empty();
    }, (current, now) -> current.withStatus(next, now), "status",
        current -> Map.of("from_status", current.status().wireName(), "status", next.wireName()));
  }

  /** Gives the incident to {@code owner}, if it is still at {@code version} and not closed. */
  public Result assign(StaffId by, IncidentId id, long version, StaffId owner) {
    return change(by, id, version, current -> current.status().active() ? Optional.empty()
        : Optional.of("incident " + id + " is closed"), (current, now) -> current.withOwner(owner, now), "assigned",
        current -> Map.of("owner", owner.value()));
  }

  /**
   * Records a containment or remediation measure, or a note, on the timeline (the text is kept in the
   * store, its SHA-256 in the ledger).
   *
   * @throws IllegalArgumentException when the text is blank or longer than {@link IncidentStep#MAX_TEXT}
   */
  public Result act(StaffId by, IncidentId id, ActionType type, String text) {
    if (text == null || text.isBlank() || text.length() > IncidentStep.MAX_TEXT) {
      throw new IllegalArgumentException("text: 1 to " + IncidentStep.MAX_TEXT + " characters");
    }
    Optional<Incident> found = store.find(id);
    if (found.isEmpty()) {
      return new Result.NotFound(id);
    }
    Instant now = clock.instant();
    Map<String, Object> e = entry("action", id, by.value(), now);
    e.put("type", type.wireName());
    e.put("text_sha256", sha256(text));
    return step(found.get(), e, new IncidentStepDraft(now, by.value(), "action", Map.of("type", type.wireName()),
        Optional.of(text)));
  }

  /**
   * Records that something was done with the incident that changes nothing in it (its scope read,
   * its report read, a notification run started): an entry with {@code members} besides the common
   * ones, then the timeline step with {@code detail}.
   */
  public Result record(String by, IncidentId id, String event, Map<String, Object> members, Map<String, String> detail) {
    Optional<Incident> found = store.find(id);
    if (found.isEmpty()) {
      return new Result.NotFound(id);
    }
    Instant now = clock.instant();
    Map<String, Object> e = entry(event, id, by, now);
    e.putAll(members);
    return step(found.get(), e, new IncidentStepDraft(now, by, event, detail, Optional.empty()));
  }

  /**
   * Writes an entry about the incident that is not a step of its timeline: one per customer notified,
   * say, which the notification table lists and the timeline summarises.
   *
   * @return the entry's index
   * @throws AccessLedger.Unavailable when the ledger does not take it
   */
  public long entry(String by, IncidentId id, String event, Map<String, Object> members)
      throws AccessLedger.Unavailable {
    Map<String, Object> e = entry(event, id, by, clock.instant());
    e.putAll(members);
    return ledger.append(CanonicalJson.encode(e)).index();
  }

  private record IncidentStepDraft(Instant at, String by, String event, Map<String, String> detail,
      Optional<String> text) {
    IncidentStep at(long index) {
      return new IncidentStep(at, by, event, detail, text, index);
    }
  }

  private Result step(Incident incident, Map<String, Object> entry, IncidentStepDraft draft) {
    long index;
    try {
      index = ledger.append(CanonicalJson.encode(entry)).index();
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(ex.getMessage());
    }
    if (!store.addStep(incident.id(), draft.at(index))) {
      return new Result.NotFound(incident.id());
    }
    return new Result.Done(incident, index);
  }

  @FunctionalInterface
  private interface Check {
    Optional<String> refusal(Incident current);
  }

  @FunctionalInterface
  private interface Next {
    Incident of(Incident current, Instant now);
  }

  @FunctionalInterface
  private interface Detail {
    Map<String, String> of(Incident current);
  }

  private Result change(StaffId by, IncidentId id, long version, Check check, Next next, String event, Detail detail) {
    Optional<Incident> found = store.find(id);
    if (found.isEmpty()) {
      return new Result.NotFound(id);
    }
    Incident current = found.get();
    if (current.version() != version) {
      return new Result.Conflict("incident " + id + " is at version " + current.version() + ", not " + version
          + "; read it again");
    }
    Optional<String> refused = check.refusal(current);
    if (refused.isPresent()) {
      return new Result.Conflict(refused.get());
    }
    Instant now = clock.instant();
    Map<String, String> facts = detail.of(current);
    Map<String, Object> e = entry(event, id, by.value(), now);
    e.putAll(facts);
    e.put("version", version);
    long index;
    try {
      index = ledger.append(CanonicalJson.encode(e)).index();
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(ex.getMessage());
    }
    Incident changed = next.of(current, now);
    if (!store.change(changed, version, new IncidentStep(now, by.value(), event, facts, Optional.empty(), index))) {
      // Another change won between the check and the write: the entry above did not take effect.
      Map<String, Object> undo = entry("superseded", id, by.value(), clock.instant());
      undo.put("supersedes", index);
      try {
        ledger.append(CanonicalJson.encode(undo));
      } catch (AccessLedger.Unavailable ex) {
        // The entry stands alone; the timeline (which has no step at that index) shows it did not take effect.
      }
      return new Result.Conflict("incident " + id + " changed meanwhile; read it again");
    }
    return new Result.Done(store.find(id).orElse(changed), index);
  }

  private static Map<String, Object> entry(String event, IncidentId id, String by, Instant at) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("event", event);
    e.put("incident", id.value());
    e.put("by", by);
    e.put("at", at.toString());
    return e;
  }

  /** SHA-256 of UTF-8 text, hex: how free text appears in entries. */
  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }
}
