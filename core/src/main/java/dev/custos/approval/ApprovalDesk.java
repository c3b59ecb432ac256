package dev.custos.approval;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Makes, approves, denies, cancels, edits, expires and executes approval requests, and records every
 * attempt, done or refused, as one {@value #KIND} ledger entry (schema in docs/design/approvals.md)
 * naming customers only by commitment and the content only by its binding hash. What HTTP and the
 * withdrawal policy call; the rules are those of {@link ApprovalRules}.
 *
 * <h2>Concurrency</h2>
 * Every change is a compare-and-set of the request's version in the store. A step that loses the
 * race is decided again on the request as it now is, so of racing approvers each is counted at
 * most once, the quorum transition happens once, and an approval arriving after the quorum (or
 * after a denial or an edit) is refused rather than lost or double counted.
 *
 * <p>As for cases, the change is made first and recorded after: if the ledger then fails, the
 * change stands and the caller is told ({@link Result.Unrecorded}).
 */
public final class ApprovalDesk {
  /** The ledger entry kind of an approval step. */
  public static final String KIND = "custos.approval/v1";
  /** How often one step is decided again after losing a race before giving up. */
  static final int ATTEMPTS = 64;

  /** What came of one step. */
  public sealed interface Result {
    /** Done and recorded. */
    record Done(ApprovalRequest request, String event, long ledgerIndex) implements Result {}

    /** Refused by a rule (nothing changed), recorded; {@code field} names what was wrong. */
    record Refused(String field, String why, long ledgerIndex) implements Result {}

    /** No such request (nothing recorded). */
    record NotFound(RequestId id) implements Result {}

    /** The outcome could not be recorded; {@code changed} says whether the change stands. */
    record Unrecorded(boolean changed, String why) implements Result {}
  }

  /** What one sweep did. */
  public record Sweep(int expired, int locked, int executed, int failed) {}

  private final ApprovalCatalogue catalogue;
  private final ApprovalStore store;
  private final ApprovalDispatch dispatch;
  private final Function<CustomerId, Optional<Commitment>> commitments;
  private final AccessLedger ledger;
  private final InstantSource clock;
  private final RandomGenerator random;
  private final List<java.util.function.Consumer<ApprovalRequest>> onExecuted = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ApprovalDesk(ApprovalCatalogue catalogue, ApprovalStore store, ApprovalDispatch dispatch,
      Function<CustomerId, Optional<Commitment>> commitments, AccessLedger ledger, InstantSource clock,
      RandomGenerator random) {
    this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
    this.store = Objects.requireNonNull(store, "store");
    this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
    this.commitments = Objects.requireNonNull(commitments, "commitments");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The catalogue requests are made under. */
  public ApprovalCatalogue catalogue() {
    return catalogue;
  }

  /** Calls {@code listener} with each request once it is executed (after the ledger entry), e.g. to record security changes. */
  public void onExecuted(java.util.function.Consumer<ApprovalRequest> listener) {
    onExecuted.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The request, if known. */
  public Optional<ApprovalRequest> find(RequestId id) {
    return store.find(id);
  }

  /** Requests, newest first (see {@link ApprovalStore#list}). */
  public List<ApprovalRequest> list(Optional<ApprovalState> state, Optional<StaffId> requester, int limit) {
    return store.list(state, requester, limit);
  }

  /**
   * Pending requests {@code p} could approve now, newest first, among the newest {@code scan} pending
   * ones: eligible, not yet approved by them.
   */
  public List<ApprovalRequest> toApprove(Participant p, int scan) {
    Instant now = clock.instant();
    return store.list(Optional.of(ApprovalState.PENDING), Optional.empty(), scan).stream()
        .filter(r -> now.isBefore(r.expiresAt()))
        .filter(r -> ApprovalRules.ineligibility(r, p).isEmpty())
        .filter(r -> r.approvals().stream().noneMatch(a -> a.person().equals(p.person())))
        .toList();
  }

  /**
   * Makes a request of {@code requester} for {@code spec} under the catalogue's policy of its
   * action; {@code conflicted} are further people who may not approve it (the owner of the ticket
   * behind it, for example). Eligible approvers are told.
   */
  public Result request(Participant requester, ActionSpec spec, Set<String> conflicted) {
    return request(requester, spec, conflicted, catalogue.policy(spec.action()));
  }

  /**
   * As {@link #request(Participant, ActionSpec, Set)} under {@code policy}, which MUST be for the
   * same action and at least as strict in the number of approvals as the catalogue's (the
   * withdrawal policy asks one more for a customer in an open incident's scope).
   */
  public Result request(Participant requester, ActionSpec spec, Set<String> conflicted, ActionPolicy policy) {
    Instant now = clock.instant();
    if (policy.action() != spec.action() || policy.required() < catalogue.policy(spec.action()).required()) {
      throw new IllegalArgumentException("a request's policy is its action's, at least as strict as the catalogue's");
    }
    Map<String, Object> e = entry("request", requester.subject().id().value(), requester.subject().roles(), spec, now);
    if (!requester.subject().active()) {
      return refused(e, "requester", "staff member " + requester.subject().id() + " is suspended");
    }
    ApprovalRequest r = new ApprovalRequest(new RequestId("apr-" + hex(16)), spec, hex(16), requester.subject().id(),
        requester.person(), requester.subject().team(), conflicted, policy, ApprovalState.PENDING, now,
        now.plus(policy.expiry()), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), 1);
    if (!store.create(r)) {
      return refused(e, "id", "request id " + r.id() + " is taken; retry");
    }
    Result result = done(e, r, "request");
    dispatch.requested(r);
    return result;
  }

  /** {@link ApprovalRules#approve}: {@code seenHash} is the binding hash the approver was shown. */
  public Result approve(Participant p, RequestId id, String seenHash) {
    return step(id, p.subject().id().value(), p.subject().roles(), r -> ApprovalRules.approve(r, p, seenHash, clock.instant()));
  }

  /** {@link ApprovalRules#deny}. */
  public Result deny(Participant p, RequestId id, String note) {
    return step(id, p.subject().id().value(), p.subject().roles(), r -> ApprovalRules.deny(r, p, note, clock.instant()));
  }

  /** {@link ApprovalRules#cancel}. */
  public Result cancel(Canceller by, RequestId id, String note) {
    String actor = by instanceof Canceller.Staff s ? s.who().subject().id().value() : "customer";
    Set<Role> roles = by instanceof Canceller.Staff s ? s.who().subject().roles() : Set.of();
    return step(id, actor, roles, r -> ApprovalRules.cancel(r, by, note, clock.instant()));
  }

  /** {@link ApprovalRules#edit}: the approvals collected are void. */
  public Result edit(Participant p, RequestId id, ActionSpec spec) {
    String salt = hex(16);
    return step(id, p.subject().id().value(), p.subject().roles(), r -> ApprovalRules.edit(r, p, spec, salt, clock.instant()));
  }

  /**
   * Moves every due request on: expires pending requests past their expiry, tells customers of
   * time-locks (an approved request enters its time-lock once told), and hands over time-locked
   * requests whose time-lock elapsed, marking them executed once accepted. A failed hand-off stays
   * time-locked and is tried again at the next sweep.
   */
  public Sweep sweep(int limit) {
    int expired = 0;
    int locked = 0;
    int executed = 0;
    int failed = 0;
    for (ApprovalRequest due : store.due(clock.instant(), limit)) {
      switch (due.state()) {
        case PENDING -> expired += changed(step(due.id(), "system", Set.of(), r -> ApprovalRules.expire(r, clock.instant())));
        case APPROVED -> {
          if (due.policy().notifyCustomer() && !dispatch.noticeToCustomer(due)) {
            failed++;
          } else {
            locked += changed(step(due.id(), "system", Set.of(), ApprovalRules::lock));
          }
        }
        case TIME_LOCKED -> {
          switch (dispatch.execute(due)) {
            case ApprovalDispatch.Handoff.Accepted a -> {
              Result r = step(due.id(), "system", Set.of(), cur -> ApprovalRules.execute(cur, clock.instant()));
              executed += changed(r);
              if (r instanceof Result.Done d) {
                onExecuted.forEach(l -> l.accept(d.request()));
              }
            }
            case ApprovalDispatch.Handoff.Failed f -> failed++;
          }
        }
        default -> { }
      }
    }
    return new Sweep(expired, locked, executed, failed);
  }

  private static int changed(Result r) {
    return r instanceof Result.Done || (r instanceof Result.Unrecorded u && u.changed()) ? 1 : 0;
  }

  private Result step(RequestId id, String actor, Set<Role> roles, Function<ApprovalRequest, ApprovalRules.Step> rule) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<ApprovalRequest> found = store.find(id);
      if (found.isEmpty()) {
        return new Result.NotFound(id);
      }
      ApprovalRequest current = found.get();
      ApprovalRules.Step step = rule.apply(current);
      Map<String, Object> e = entry("?", actor, roles, current.spec(), clock.instant());
      e.put("request", id.value());
      switch (step) {
        case ApprovalRules.Step.Refused r -> {
          e.put("event", "refused");
          e.put("state", current.state().wireName());
          e.put("bindingHash", current.bindingHash());
          return refused(e, r.field(), r.why());
        }
        case ApprovalRules.Step.Changed c -> {
          if (store.replace(current, c.next())) {
            e.put("event", c.event());
            return done(e, c.next(), c.event());
          }
          // Someone else changed the request meanwhile: decide again on what it is now.
        }
      }
    }
    Map<String, Object> e = entry("refused", actor, roles, null, clock.instant());
    e.put("request", id.value());
    return refused(e, "id", "the request is changing too often right now; retry");
  }

  private Result done(Map<String, Object> e, ApprovalRequest r, String event) {
    e.put("event", event);
    e.put("outcome", "done");
    e.put("request", r.id().value());
    e.put("state", r.state().wireName());
    e.put("bindingHash", r.bindingHash());
    e.put("approvals", r.approvals().size());
    e.put("required", r.policy().required());
    r.unlocksAt().ifPresent(t -> e.put("unlocksAt", t.toString()));
    try {
      return new Result.Done(r, event, ledger.append(CanonicalJson.encode(e)).index());
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(true, ex.getMessage());
    }
  }

  private Result refused(Map<String, Object> e, String field, String why) {
    e.put("outcome", "refused");
    e.put("field", field);
    e.put("why", why);
    try {
      return new Result.Refused(field, why, ledger.append(CanonicalJson.encode(e)).index());
    } catch (AccessLedger.Unavailable ex) {
      return new Result.Unrecorded(false, ex.getMessage());
    }
  }

  private Map<String, Object> entry(String event, String actor, Set<Role> roles, ActionSpec spec, Instant at) {
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("at", at.toString());
    e.put("event", event);
    e.put("staff", actor);
    e.put("roles", roles.stream().map(Role::wireName).sorted().toList());
    if (spec != null) {
      e.put("action", spec.action().wireName());
      List<String> customers = new ArrayList<>();
      // A customer the vault does not hold has no commitment; it is never named in clear.
      spec.customer().flatMap(commitments).ifPresent(k -> customers.add(k.hex()));
      e.put("customers", customers);
    }
    return e;
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    synchronized (random) {
      random.nextBytes(b);
    }
    return HexFormat.of().formatHex(b);
  }
}
