package dev.custos.access;

import dev.custos.ledger.Receipt;
import dev.custos.vault.Commitment;
import dev.custos.vault.Disclosed;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.Mask;
import dev.custos.vault.SearchKey;
import dev.custos.vault.Vault;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The one path by which customer data reaches staff: resolve the purpose's facts, let the
 * {@link AccessPolicy} decide, apply the {@link Guardrails}, write the decision to the ledger and
 * wait until it is durable, and only then open the vault for exactly the fields of the mask plan and
 * mask them. Every request, permitted or denied, becomes one {@code custos.access/v1} ledger entry
 * (see docs/design/access-ledger.md) and one {@link AccessEvent} on the bus.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>No field value leaves before the ledger returned a receipt for the decision that permits it;
 *       if the ledger does not answer within its bound the outcome is {@link Outcome.Unrecorded} and
 *       no value is read from the vault at all.</li>
 *   <li>Any error while resolving facts or deciding is a deny ({@link DenyReason#POLICY_ERROR}).</li>
 *   <li>A customer that does not exist and a customer that is not the ticket's requester give the
 *       same outcome ({@link Outcome.NotFound}), so ids cannot be probed with one's own ticket.</li>
 *   <li>Entries name customers only by commitment, and reasons only by digest.</li>
 * </ul>
 */
public final class AccessBroker {
  /** The ledger entry kind of every access request. */
  public static final String KIND = "custos.access/v1";

  /** Who asks: the staff member as the session resolved them, the session handle and its last second factor. */
  public record Actor(StaffSubject staff, String session, Optional<Instant> mfaAt) {
    public Actor {
      Objects.requireNonNull(staff, "staff");
      Objects.requireNonNull(session, "session");
      Objects.requireNonNull(mfaAt, "mfaAt");
    }
  }

  /** What came of one request. Every outcome but {@link Unrecorded} carries its ledger index. */
  public sealed interface Outcome {
    /** The fields of the plan, masked (or revealed) as it says. */
    record Shown(long ledgerIndex, Decision.Permit permit, Map<Field, FieldValue> values) implements Outcome {}

    /** Refused; nothing disclosed. */
    record Refused(long ledgerIndex, Decision.Deny deny) implements Outcome {}

    /** No such customer for this purpose (also when the customer is another than the ticket's requester). */
    record NotFound(long ledgerIndex) implements Outcome {}

    /** The ledger did not record the request in time: nothing disclosed. */
    record Unrecorded(String why) implements Outcome {}
  }

  /** What a search found: masked matches, one per customer found. */
  public sealed interface SearchOutcome {
    record Found(long ledgerIndex, List<Match> matches) implements SearchOutcome {}

    record Refused(long ledgerIndex, Decision.Deny deny) implements SearchOutcome {}

    record Unrecorded(String why) implements SearchOutcome {}
  }

  /** One search match: the customer's id and the plan's fields, masked. */
  public record Match(CustomerId customer, Map<Field, FieldValue> values) {}

  private final AccessPolicy policy;
  private final Guardrails guardrails;
  private final Vault vault;
  private final TicketStore tickets;
  private final CaseStore cases;
  private final BreakGlassStore breakGlass;
  private final ReasonStore reasons;
  private final AccessLedger ledger;
  private final Consumer<AccessEvent> bus;
  private final InstantSource clock;

  public AccessBroker(AccessPolicy policy, Guardrails guardrails, Vault vault, TicketStore tickets, CaseStore cases,
      BreakGlassStore breakGlass, ReasonStore reasons, AccessLedger ledger, Consumer<AccessEvent> bus,
      InstantSource clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.guardrails = Objects.requireNonNull(guardrails, "guardrails");
    this.vault = Objects.requireNonNull(vault, "vault");
    this.tickets = Objects.requireNonNull(tickets, "tickets");
    this.cases = Objects.requireNonNull(cases, "cases");
    this.breakGlass = Objects.requireNonNull(breakGlass, "breakGlass");
    this.reasons = Objects.requireNonNull(reasons, "reasons");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.bus = Objects.requireNonNull(bus, "bus");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A customer's record, masked by role, for {@code purpose}. */
  public Outcome view(Actor actor, CustomerId customer, Purpose purpose) {
    return access(actor, Action.VIEW, customer, purpose, Set.of(), Optional.empty());
  }

  /** Named fields unmasked, with a reason and a recent second factor. */
  public Outcome reveal(Actor actor, CustomerId customer, Purpose purpose, Set<Field> fields, String reason) {
    return access(actor, Action.REVEAL, customer, purpose, fields, Optional.ofNullable(reason));
  }

  /** A customer's record, masked, without ticket or case: alerted, counted and queued for review. */
  public Outcome breakGlass(Actor actor, CustomerId customer, String reason) {
    return access(actor, Action.BREAK_GLASS, customer, Purpose.BREAK_GLASS, Set.of(), Optional.ofNullable(reason));
  }

  private Outcome access(Actor actor, Action action, CustomerId customer, Purpose purpose, Set<Field> fields,
      Optional<String> reason) {
    Instant now = clock.instant();
    Decision decision;
    Optional<Vault.Prepared> prepared = Optional.empty();
    AccessRequest request = null;
    try {
      request = new AccessRequest(actor.staff(), action, customer, purpose, fields, reason, actor.mfaAt(), now,
          facts(purpose));
      decision = policy.decide(request);
      // One read of the record serves the entry (commitment) and, after the receipt, the plan's fields.
      prepared = vault.prepare(customer, decision instanceof Decision.Permit p ? p.plan().fields() : Set.of());
    } catch (RuntimeException e) {
      decision = error("the access could not be evaluated");
      prepared = Optional.empty();
    }
    Optional<Commitment> commitment = prepared.map(Vault.Prepared::commitment);
    // A missing customer answers exactly like a customer who is not the purpose's: no probing of ids.
    boolean notFound = decision instanceof Decision.Deny d ? hidesCustomer(d.reason())
        : commitment.isEmpty();
    String quota = null;
    if (decision instanceof Decision.Permit p && !notFound) {
      try {
        if (guardrails.checkAndRecord(request, p) instanceof QuotaCheck.Exceeded ex) {
          quota = ex.quota();
          decision = ex.toDeny();
        }
      } catch (RuntimeException e) {
        decision = error("the guardrails could not be checked");
      }
    }
    Map<String, Object> entry = entry(actor, action, now, purpose, decision, notFound, reason);
    entry.put("customer", commitment.map(Commitment::hex).orElse(null));
    if (quota != null) {
      entry.put("quota", quota);
    }
    Receipt receipt;
    try {
      receipt = ledger.append(CanonicalJson.encode(entry));
    } catch (AccessLedger.Unavailable e) {
      return new Outcome.Unrecorded(e.getMessage());
    }
    long index = receipt.index();
    Outcome outcome;
    if (notFound) {
      outcome = new Outcome.NotFound(index);
    } else if (decision instanceof Decision.Deny d) {
      outcome = new Outcome.Refused(index, d);
    } else {
      Decision.Permit p = (Decision.Permit) decision;
      try {
        if (reason.isPresent()) {
          reasons.record(index, actor.staff().id(), reason.get(), now);
        }
        if (p.requires(Obligation.QUEUE_REVIEW)) {
          breakGlass.record(new BreakGlassUse(actor.staff().id(), customer, reason.orElseThrow(), now));
        }
        outcome = new Outcome.Shown(index, p, masked(prepared.orElseThrow().open(receipt).values(), p.plan()));
      } catch (RuntimeException e) {
        // An obligation or the vault failed after the entry was written: the entry stands (it records
        // an access that was attempted), nothing is disclosed.
        return new Outcome.Unrecorded("the access recorded at ledger index " + index + " could not be completed ("
            + e.getClass().getSimpleName() + ")");
      }
    }
    publish(new AccessEvent(now, actor.staff().id(), actor.session(), action, Optional.of(customer), purpose,
        outcome instanceof Outcome.Shown s ? Optional.of(s.permit().plan()) : Optional.empty(),
        decisionName(decision, notFound), index, outcome instanceof Outcome.Shown ? 1 : 0));
    return outcome;
  }

  /**
   * Customers whose e-mail, phone or government id is exactly {@code value} (normalised), as masked
   * matches. A search needs no purpose but is counted against the searches-per-hour quota, and the
   * entry names every match by commitment.
   */
  public SearchOutcome search(Actor actor, SearchKey key, String value) {
    Instant now = clock.instant();
    Decision decision;
    AccessRequest request = null;
    List<CustomerId> matches = List.of();
    try {
      request = new AccessRequest(actor.staff(), Action.SEARCH, null, Purpose.NONE, Set.of(key.field()),
          Optional.empty(), actor.mfaAt(), now, PurposeFacts.none());
      decision = policy.decide(request);
      if (decision instanceof Decision.Permit p
          && guardrails.checkAndRecord(request, p) instanceof QuotaCheck.Exceeded ex) {
        decision = ex.toDeny();
      }
      if (decision.permitted()) {
        matches = vault.find(key, value);
      }
    } catch (IllegalArgumentException e) {
      // The value normalises to nothing: a bad request, recorded like any other refusal.
      decision = new Decision.Deny(DenyReason.BAD_REQUEST, "the " + key.wireName() + " to look up is empty once normalised",
          List.of("search-value"));
    } catch (RuntimeException e) {
      decision = error("the search could not be evaluated");
    }
    List<String> commitments = new ArrayList<>();
    List<Vault.Prepared> found = new ArrayList<>();
    try {
      Set<Field> shown = decision instanceof Decision.Permit p ? p.plan().fields() : Set.of();
      for (CustomerId id : matches) {
        Optional<Vault.Prepared> c = vault.prepare(id, shown);
        if (c.isPresent()) {
          commitments.add(c.get().commitment().hex());
          found.add(c.get());
        }
      }
    } catch (RuntimeException e) {
      decision = error("the search could not be evaluated");
      commitments.clear();
      found.clear();
    }
    Map<String, Object> entry = entry(actor, Action.SEARCH, now, Purpose.NONE, decision, false, Optional.empty());
    entry.put("search", Map.of("key", key.wireName(), "matches", (long) found.size()));
    entry.put("customers", commitments);
    Receipt receipt;
    try {
      receipt = ledger.append(CanonicalJson.encode(entry));
    } catch (AccessLedger.Unavailable e) {
      return new SearchOutcome.Unrecorded(e.getMessage());
    }
    if (decision instanceof Decision.Deny d) {
      publish(new AccessEvent(now, actor.staff().id(), actor.session(), Action.SEARCH, Optional.empty(), Purpose.NONE,
          Optional.empty(), d.reason().wireName(), receipt.index(), 0));
      return new SearchOutcome.Refused(receipt.index(), d);
    }
    MaskPlan plan = ((Decision.Permit) decision).plan();
    List<Match> shown = new ArrayList<>();
    try {
      for (Vault.Prepared p : found) {
        Disclosed d = p.open(receipt);
        shown.add(new Match(d.customer(), masked(d.values(), plan)));
      }
    } catch (RuntimeException e) {
      return new SearchOutcome.Unrecorded("the search recorded at ledger index " + receipt.index()
          + " could not be completed (" + e.getClass().getSimpleName() + ")");
    }
    publish(new AccessEvent(now, actor.staff().id(), actor.session(), Action.SEARCH, Optional.empty(), Purpose.NONE,
        Optional.of(plan), "permit", receipt.index(), shown.size()));
    return new SearchOutcome.Found(receipt.index(), shown);
  }

  /** The facts the purpose names, loaded just before deciding. */
  private PurposeFacts facts(Purpose purpose) {
    return switch (purpose) {
      case Purpose.Ticket t -> tickets.find(t.id()).map(PurposeFacts::of).orElse(PurposeFacts.none());
      case Purpose.Case c -> cases.find(c.id()).map(PurposeFacts::of).orElse(PurposeFacts.none());
      case Purpose.BreakGlass b -> PurposeFacts.none();
      case Purpose.None n -> PurposeFacts.none();
    };
  }

  /** Denials that must look like a missing customer: the purpose is real but names someone else. */
  private static boolean hidesCustomer(DenyReason reason) {
    return reason == DenyReason.TICKET_OTHER_CUSTOMER || reason == DenyReason.CASE_OTHER_CUSTOMER;
  }

  private static Decision.Deny error(String explanation) {
    return new Decision.Deny(DenyReason.POLICY_ERROR, explanation, List.of("broker"));
  }

  private static String decisionName(Decision decision, boolean notFound) {
    if (notFound) {
      return "not-found";
    }
    return decision instanceof Decision.Deny d ? d.reason().wireName() : "permit";
  }

  /** The members every {@value #KIND} entry has; see docs/design/access-ledger.md. */
  private static Map<String, Object> entry(Actor actor, Action action, Instant at, Purpose purpose, Decision decision,
      boolean notFound, Optional<String> reason) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("at", at.toString());
    e.put("staff", actor.staff().id().value());
    e.put("session", actor.session());
    e.put("roles", actor.staff().roles().stream().map(Role::wireName).sorted().toList());
    e.put("action", action.wireName());
    e.put("purpose", purpose(purpose));
    e.put("rules", decision.rules());
    switch (decision) {
      case Decision.Permit p when !notFound -> {
        e.put("decision", "permit");
        e.put("fields", p.plan().wireNames());
        e.put("obligations", p.obligations().stream().map(Obligation::wireName).toList());
      }
      case Decision.Permit p -> {
        e.put("decision", "deny");
        e.put("deny", "no-such-customer");
      }
      case Decision.Deny d -> {
        e.put("decision", "deny");
        e.put("deny", d.reason().wireName());
      }
    }
    reason.ifPresent(r -> e.put("reason_sha256", sha256(r)));
    return e;
  }

  private static Map<String, Object> purpose(Purpose purpose) {
    return switch (purpose) {
      case Purpose.Ticket t -> Map.of("type", "ticket", "id", t.id().value());
      case Purpose.Case c -> Map.of("type", "case", "id", c.id().value());
      case Purpose.BreakGlass b -> Map.of("type", "break-glass");
      case Purpose.None n -> Map.of("type", "none");
    };
  }

  /** Applies the plan's mask to each disclosed value; a mask that hides a value drops it. */
  private static Map<Field, FieldValue> masked(Map<Field, FieldValue> values, MaskPlan plan) {
    Map<Field, FieldValue> out = LinkedHashMap.newLinkedHashMap(plan.fields().size());
    for (Field f : plan.fields()) {
      FieldValue v = values.get(f);
      if (v != null) {
        // Not ifPresent(lambda): a capturing lambda per field was a third of the masks' garbage.
        Optional<FieldValue> m = plan.mask(f).apply(v);
        if (m.isPresent()) {
          out.put(f, m.get());
        }
      }
    }
    return out;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable", e);
    }
  }

  private void publish(AccessEvent event) {
    try {
      bus.accept(event);
    } catch (RuntimeException e) {
      // The bus is in-process and best effort after the ledger; detection reads the ledger too.
    }
  }
}
