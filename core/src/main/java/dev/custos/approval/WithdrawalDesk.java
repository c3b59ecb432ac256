package dev.custos.approval;

import dev.custos.access.AccessLedger;
import dev.custos.access.CanonicalJson;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.access.StaffSubject;
import dev.custos.vault.Commitment;
import java.math.BigDecimal;
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
 * Answers the wallet service: gathers the facts about the account, decides with
 * {@link WithdrawalPolicy}, makes the approval request when approval is required, and records the
 * decision as one {@value #KIND} ledger entry before answering (no entry, no answer: the wallet
 * service then treats the withdrawal as blocked).
 */
public final class WithdrawalDesk {
  /** The ledger entry kind of an evaluation. */
  public static final String KIND = "custos.withdrawal/v1";
  /** The security changes an executed approval request stands for. */
  private static final Map<SensitiveAction, String> CHANGES = Map.of(SensitiveAction.TWO_FACTOR_RESET, "2fa-reset",
      SensitiveAction.EMAIL_CHANGE, "email-change", SensitiveAction.PHONE_CHANGE, "phone-change");

  /** The answer, with the approval request made for it and the ledger index. */
  public record Evaluation(WithdrawalDecision decision, Optional<ApprovalRequest> approval, long ledgerIndex) {}

  /** Nothing was decided: the ledger or the approval store failed. The wallet service MUST treat it as block. */
  public static final class Undecided extends Exception {
    public Undecided(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final WithdrawalPolicy policy;
  private final WithdrawalStore store;
  private final ApprovalDesk approvals;
  private final IncidentScope incidents;
  private final AccountStaff staff;
  private final Function<CustomerId, Optional<Commitment>> commitments;
  private final AccessLedger ledger;
  private final InstantSource clock;

  public WithdrawalDesk(WithdrawalRules rules, WithdrawalStore store, ApprovalDesk approvals, IncidentScope incidents,
      AccountStaff staff, Function<CustomerId, Optional<Commitment>> commitments, AccessLedger ledger,
      InstantSource clock) {
    this.policy = new WithdrawalPolicy(rules, approvals.catalogue().policy(SensitiveAction.WITHDRAWAL).required());
    this.store = Objects.requireNonNull(store, "store");
    this.approvals = approvals;
    this.incidents = Objects.requireNonNull(incidents, "incidents");
    this.staff = Objects.requireNonNull(staff, "staff");
    this.commitments = Objects.requireNonNull(commitments, "commitments");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The facts about {@code w}'s account at {@code now}. */
  public WithdrawalFacts facts(Withdrawal w, Instant now) {
    WithdrawalRules r = policy.rules();
    return new WithdrawalFacts(store.whitelistedAt(w.account(), w.asset(), w.destination()),
        store.spentSince(w.account(), w.asset(), now.minus(r.velocityWindow())),
        store.changesSince(w.account(), now.minus(r.securityChangeHold())), incidents.contains(w.account()),
        staff.lastToucherContained(w.account()));
  }

  /**
   * Evaluates {@code w} for the service {@code caller} (the name of its token), records it, and for
   * require-approval makes the approval request (requested by {@code svc-<caller>}).
   *
   * @throws Undecided when the decision could not be recorded or the request not made
   */
  public Evaluation evaluate(Withdrawal w, String caller) throws Undecided {
    Instant now = clock.instant();
    WithdrawalDecision d = policy.evaluate(w, facts(w, now), now);
    Optional<ApprovalRequest> request = Optional.empty();
    if (d.effect() == WithdrawalDecision.Effect.REQUIRE_APPROVAL) {
      Map<String, String> params = new TreeMap<>();
      params.put("asset", w.asset());
      params.put("amount", w.amount().toPlainString());
      params.put("destination", w.destination());
      w.reference().ifPresent(ref -> params.put("reference", ref));
      params.put("rules", String.join(",", d.rules().stream().map(WithdrawalDecision.Hit::rule).toList()));
      StaffId requester = new StaffId(serviceStaff(caller));
      Participant p = new Participant(new StaffSubject(requester, Set.of(), true, Optional.empty()), "service:" + caller);
      ActionPolicy base = approvals.catalogue().policy(SensitiveAction.WITHDRAWAL);
      ActionPolicy needed = new ActionPolicy(base.action(), d.required(), base.approverRoles(), base.approverTeams(),
          base.distinctTeam(), base.expiry(), base.timeLock(), base.notifyCustomer());
      switch (approvals.request(p, ActionSpec.of(SensitiveAction.WITHDRAWAL, Optional.of(w.account()), params), Set.of(),
          needed)) {
        case ApprovalDesk.Result.Done done -> request = Optional.of(done.request());
        case ApprovalDesk.Result.Refused r -> throw new Undecided("the approval request was refused: " + r.why(), null);
        case ApprovalDesk.Result.Unrecorded u -> throw new Undecided("the approval request was not recorded: " + u.why(), null);
        case ApprovalDesk.Result.NotFound n -> throw new IllegalStateException("a new request cannot be missing");
      }
    }
    if (d.effect() == WithdrawalDecision.Effect.ALLOW || d.effect() == WithdrawalDecision.Effect.REQUIRE_APPROVAL) {
      // Counted before the answer: a withdrawal allowed but never sent errs on the side of the next one.
      store.recordSpend(w.account(), w.asset(), w.amount(), now);
    }
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("at", now.toString());
    e.put("service", caller);
    List<String> customers = new ArrayList<>();
    commitments.apply(w.account()).ifPresent(k -> customers.add(k.hex()));
    e.put("customers", customers);
    e.put("asset", w.asset());
    e.put("amount", w.amount().toPlainString());
    e.put("effect", d.effect().wireName());
    d.holdUntil().ifPresent(t -> e.put("holdUntil", t.toString()));
    e.put("rules", d.rules().stream().map(WithdrawalDecision.Hit::rule).toList());
    request.ifPresent(r -> e.put("request", r.id().value()));
    w.reference().ifPresent(ref -> e.put("reference", ref));
    try {
      return new Evaluation(d, request, ledger.append(CanonicalJson.encode(e)).index());
    } catch (AccessLedger.Unavailable ex) {
      throw new Undecided("the decision could not be recorded in the ledger", ex);
    }
  }

  /**
   * Records what an executed approval request changes for withdrawals: a whitelisted address
   * ({@code asset}, {@code address} parameters), or a security change of the account.
   */
  public void recordExecuted(ApprovalRequest r) {
    Instant at = r.closedAt().orElse(clock.instant());
    Optional<CustomerId> customer = r.spec().customer();
    if (customer.isEmpty()) {
      return;
    }
    if (r.spec().action() == SensitiveAction.ADDRESS_WHITELIST) {
      String asset = r.spec().parameters().get("asset");
      String address = r.spec().parameters().get("address");
      if (asset != null && address != null) {
        store.whitelist(customer.get(), asset, address, at);
      }
    }
    String kind = CHANGES.get(r.spec().action());
    if (kind != null) {
      store.recordChange(customer.get(), kind, at);
    }
  }

  /** The staff id under which a service's approval requests are made: {@code svc-} and the token's name, sanitised. */
  static String serviceStaff(String caller) {
    String s = "svc-" + caller.replaceAll("[^A-Za-z0-9._:-]", "-");
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
