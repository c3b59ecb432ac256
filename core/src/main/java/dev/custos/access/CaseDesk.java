package dev.custos.access;

import dev.custos.vault.Commitment;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Opens, approves and closes cases ({@link Cases}) and records every attempt, done or refused, as
 * one {@value #KIND} ledger entry (docs/design/access-ledger.md) naming customers only by
 * commitment. What HTTP calls; the rules themselves are those of {@link Cases}.
 *
 * <p>An approval — the action that lets staff see customers — is recorded <em>before</em> it is
 * stored: if the ledger does not take the entry, nothing is approved ({@link Result.Unrecorded} with
 * {@code changed} false), so no case ever grants access without its approval in the ledger; if the
 * case changed between the entry and the write (a race with another approver or a close), a second
 * entry says the approval was refused. Opening and closing grant nothing, so they are made first and
 * recorded after, as for ingestion: if the ledger then fails the change stands, the caller is told
 * ({@link Result.Unrecorded}) and the server log says which.
 */
public final class CaseDesk {
  /** The ledger entry kind of a case action. */
  public static final String KIND = "custos.case/v1";

  /** What came of one action. */
  public sealed interface Result {
    /** Done and recorded. */
    record Done(Case kase, long ledgerIndex) implements Result {}

    /** Refused by a rule (nothing changed), recorded. */
    record Refused(String why, long ledgerIndex) implements Result {}

    /** No such case (nothing recorded: there is nothing to act on). */
    record NotFound(CaseId id) implements Result {}

    /** The action's outcome could not be recorded; {@code changed} says whether the change stands. */
    record Unrecorded(boolean changed, String why) implements Result {}
  }

  private final Cases cases;
  private final CaseStore store;
  private final Function<CustomerId, Optional<Commitment>> commitments;
  private final AccessLedger ledger;
  private final InstantSource clock;

  public CaseDesk(CaseStore store, Function<CustomerId, Optional<Commitment>> commitments, AccessLedger ledger,
      InstantSource clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.cases = new Cases(store);
    this.commitments = Objects.requireNonNull(commitments, "commitments");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The case, if known. */
  public Optional<Case> find(CaseId id) {
    return store.find(id);
  }

  /** Opens a case (see {@link Cases#open}). */
  public Result open(StaffSubject lead, CaseId id, String title, Set<CustomerId> customers, Set<StaffId> members,
      Duration duration) {
    Instant now = clock.instant();
    CaseOutcome outcome = cases.open(lead, id, title, customers, members, duration, now);
    Map<String, Object> e = entry("open", lead, id, now);
    e.put("customers", commitmentsOf(customers));
    e.put("members", members.stream().map(StaffId::value).sorted().toList());
    if (outcome instanceof CaseOutcome.Done d) {
      e.put("expiresAt", d.kase().expiresAt().toString());
    }
    return record(e, outcome);
  }

  /**
   * Approves a case (see {@link Cases#approve}), ledger first: the entry, which names the case's
   * customers by commitment, is durable before the approval is stored. A refusal (a self-approval,
   * a wrong role) is recorded too.
   */
  public Result approve(StaffSubject approver, CaseId id) {
    Instant now = clock.instant();
    Optional<Case> found = store.find(id);
    if (found.isEmpty()) {
      return new Result.NotFound(id);
    }
    Map<String, Object> e = entry("approve", approver, id, now);
    CaseOutcome allowed = cases.mayApprove(approver, found.get(), now);
    if (!(allowed instanceof CaseOutcome.Done d)) {
      return record(e, allowed);
    }
    e.put("customers", commitmentsOf(found.get().customers()));
    e.put("outcome", "done");
    long index;
    try {
      index = ledger.append(CanonicalJson.encode(e)).index();
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(false, ex.getMessage());
    }
    CaseOutcome written = cases.write(d.kase());
    if (written instanceof CaseOutcome.Refused r) {
      // Lost a race after the entry: the entry above did not take effect, and the ledger says so.
      Map<String, Object> undo = entry("approve", approver, id, clock.instant());
      undo.put("supersedes", index);
      return record(undo, r);
    }
    return new Result.Done(d.kase(), index);
  }

  /** Closes a case (see {@link Cases#close}). */
  public Result close(StaffSubject by, CaseId id) {
    Instant now = clock.instant();
    if (store.find(id).isEmpty()) {
      return new Result.NotFound(id);
    }
    return record(entry("close", by, id, now), cases.close(by, id, now));
  }

  private Result record(Map<String, Object> e, CaseOutcome outcome) {
    boolean done = outcome instanceof CaseOutcome.Done;
    e.put("outcome", done ? "done" : "refused");
    if (outcome instanceof CaseOutcome.Refused r) {
      e.put("why", r.reason());
    }
    long index;
    try {
      index = ledger.append(CanonicalJson.encode(e)).index();
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(done, ex.getMessage());
    }
    return switch (outcome) {
      case CaseOutcome.Done d -> new Result.Done(d.kase(), index);
      case CaseOutcome.Refused r -> new Result.Refused(r.reason(), index);
    };
  }

  private List<String> commitmentsOf(Set<CustomerId> customers) {
    List<String> out = new ArrayList<>();
    for (CustomerId c : customers) {
      // A customer the vault does not hold has no commitment; it is counted, never named.
      commitments.apply(c).ifPresent(k -> out.add(k.hex()));
    }
    out.sort(null);
    return out;
  }

  private static Map<String, Object> entry(String action, StaffSubject by, CaseId id, Instant at) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("at", at.toString());
    e.put("action", action);
    e.put("case", id.value());
    e.put("staff", by.id().value());
    e.put("roles", by.roles().stream().map(Role::wireName).sorted().toList());
    return e;
  }
}
