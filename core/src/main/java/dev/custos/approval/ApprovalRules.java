package dev.custos.approval;

import dev.custos.access.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state machine of approval requests as pure functions: given a request, an actor and the
 * time, the next version of the request or a refusal naming the field at fault. Stores make the
 * step atomic (compare-and-set on {@link ApprovalRequest#version()}); {@link ApprovalDesk} retries
 * a step whose version was taken by someone else, so every step is decided on the current request.
 */
public final class ApprovalRules {
  private ApprovalRules() {}

  /** What came of a step. */
  public sealed interface Step {
    /** The request changes to {@code next}; {@code event} names the transition for the ledger. */
    record Changed(ApprovalRequest next, String event) implements Step {}

    /** Nothing changes; {@code field} is what was wrong (for problem+json). */
    record Refused(String field, String why) implements Step {}
  }

  /**
   * Why {@code p} may not approve or deny {@code r}, or empty when they may. Separation of duties:
   * never the requester, nor another account of the same person, nor a conflicted person (such as
   * the owner of the ticket behind the request), nor a suspended account; a role of the policy; a
   * team of the policy when it names teams; and outside the requester's team when it says so.
   */
  public static Optional<String> ineligibility(ApprovalRequest r, Participant p) {
    if (!p.subject().active()) {
      return Optional.of("staff member " + p.subject().id() + " is suspended");
    }
    if (p.subject().id().equals(r.requester())) {
      return Optional.of("the requester cannot approve or deny their own request");
    }
    if (p.person().equals(r.requesterPerson())) {
      return Optional.of("another account of the requester cannot approve or deny their request");
    }
    if (r.conflicted().contains(p.person()) || r.conflicted().contains(p.subject().id().value())) {
      return Optional.of("the owner of the ticket behind this request cannot approve or deny it");
    }
    ActionPolicy policy = r.policy();
    if (p.subject().roles().stream().noneMatch(policy.approverRoles()::contains)) {
      return Optional.of("approving " + policy.action().wireName() + " needs one of the roles "
          + policy.approverRoles().stream().map(Role::wireName).sorted().toList());
    }
    if (!policy.approverTeams().isEmpty()
        && p.subject().team().filter(policy.approverTeams()::contains).isEmpty()) {
      return Optional.of("approving " + policy.action().wireName() + " needs a member of the teams "
          + policy.approverTeams().stream().sorted().toList());
    }
    if (policy.distinctTeam() && r.requesterTeam().isPresent() && r.requesterTeam().equals(p.subject().team())) {
      return Optional.of("an approver must not be in the requester's team");
    }
    return Optional.empty();
  }

  /**
   * Adds {@code p}'s approval of the content they saw ({@code seenHash}); the request becomes
   * {@link ApprovalState#APPROVED approved} at the quorum, and its time-lock runs from then.
   */
  public static Step approve(ApprovalRequest r, Participant p, String seenHash, Instant now) {
    Optional<Step.Refused> open = openForVotes(r, now);
    if (open.isPresent()) {
      return open.get();
    }
    if (!r.bindingHash().equals(seenHash)) {
      return new Step.Refused("bindingHash", "the request changed since you read it; read it again and approve what it"
          + " says now");
    }
    Optional<String> why = ineligibility(r, p);
    if (why.isPresent()) {
      return new Step.Refused("approver", why.get());
    }
    if (r.approvals().stream().anyMatch(a -> a.person().equals(p.person()))) {
      return new Step.Refused("approver", "you already approved this request");
    }
    List<Approval> approvals = new ArrayList<>(r.approvals());
    approvals.add(new Approval(p.subject().id(), p.person(), p.subject().roles(), now, r.bindingHash()));
    if (approvals.size() < r.policy().required()) {
      return new Step.Changed(r.next(ApprovalState.PENDING, approvals, Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), Optional.empty()), "approve");
    }
    return new Step.Changed(r.next(ApprovalState.APPROVED, approvals, Optional.of(now),
        Optional.of(now.plus(r.policy().timeLock())), Optional.empty(), Optional.empty(), Optional.empty()), "approved");
  }

  /** An eligible approver refuses the request; it ends {@link ApprovalState#DENIED denied}. */
  public static Step deny(ApprovalRequest r, Participant p, String note, Instant now) {
    Optional<Step.Refused> open = openForVotes(r, now);
    if (open.isPresent()) {
      return open.get();
    }
    Optional<String> why = ineligibility(r, p);
    if (why.isPresent()) {
      return new Step.Refused("approver", why.get());
    }
    return new Step.Changed(close(r, ApprovalState.DENIED, "staff:" + p.subject().id(), note, now), "deny");
  }

  /**
   * Withdraws the request before it is executed: its requester or a security analyst while it is
   * pending, approved or time-locked; the customer only once they were told, during the time-lock.
   */
  public static Step cancel(ApprovalRequest r, Canceller by, String note, Instant now) {
    switch (by) {
      case Canceller.Staff s -> {
        boolean requester = s.who().subject().id().equals(r.requester());
        if (!requester && !(s.who().subject().has(Role.SECURITY_ANALYST) && s.who().subject().active())) {
          return new Step.Refused("canceller", "only the requester or a security analyst may cancel a request");
        }
      }
      case Canceller.Customer c -> {
        if (!r.policy().notifyCustomer() || r.state() != ApprovalState.TIME_LOCKED) {
          return new Step.Refused("state", "the customer may cancel only during the time-lock they were told of");
        }
      }
    }
    if (r.state().isFinal()) {
      return new Step.Refused("state", "the request is already " + r.state().wireName());
    }
    String who = by instanceof Canceller.Staff s ? "staff:" + s.who().subject().id() : "customer";
    return new Step.Changed(close(r, ApprovalState.CANCELLED, who, note, now), "cancel");
  }

  /**
   * Replaces what the request asks, by its requester, while pending: every approval collected is
   * void, since approvers approved other content. {@code newSalt} MUST be fresh.
   */
  public static Step edit(ApprovalRequest r, Participant p, ActionSpec spec, String newSalt, Instant now) {
    if (!p.subject().id().equals(r.requester())) {
      return new Step.Refused("requester", "only the requester may edit a request");
    }
    Optional<Step.Refused> open = openForVotes(r, now);
    if (open.isPresent()) {
      return open.get();
    }
    if (spec.action() != r.spec().action()) {
      return new Step.Refused("action", "an edit keeps the action; make a new request for another action");
    }
    return new Step.Changed(r.edited(spec, newSalt), "edit");
  }

  /** A pending request past its expiry ends {@link ApprovalState#EXPIRED expired}. */
  public static Step expire(ApprovalRequest r, Instant now) {
    if (r.state() != ApprovalState.PENDING || now.isBefore(r.expiresAt())) {
      return new Step.Refused("state", "only a pending request past its expiry expires");
    }
    return new Step.Changed(close(r, ApprovalState.EXPIRED, "system", null, now), "expire");
  }

  /** An approved request enters its time-lock once the customer was told (when the policy says so). */
  public static Step lock(ApprovalRequest r) {
    if (r.state() != ApprovalState.APPROVED) {
      return new Step.Refused("state", "only an approved request enters its time-lock");
    }
    return new Step.Changed(r.next(ApprovalState.TIME_LOCKED, r.approvals(), r.approvedAt(), r.unlocksAt(),
        Optional.empty(), Optional.empty(), Optional.empty()), "time-lock");
  }

  /** A time-locked request whose time-lock elapsed is executed (after its hand-off succeeded). */
  public static Step execute(ApprovalRequest r, Instant now) {
    if (r.state() != ApprovalState.TIME_LOCKED) {
      return new Step.Refused("state", "only a time-locked request is executed; this one is " + r.state().wireName());
    }
    if (now.isBefore(r.unlocksAt().orElseThrow())) {
      return new Step.Refused("state", "the time-lock runs until " + r.unlocksAt().get());
    }
    return new Step.Changed(r.next(ApprovalState.EXECUTED, r.approvals(), r.approvedAt(), r.unlocksAt(),
        Optional.of("system"), Optional.of(now), Optional.empty()), "execute");
  }

  private static Optional<Step.Refused> openForVotes(ApprovalRequest r, Instant now) {
    if (r.state() != ApprovalState.PENDING) {
      return Optional.of(new Step.Refused("state", "the request is already " + r.state().wireName()));
    }
    if (!now.isBefore(r.expiresAt())) {
      return Optional.of(new Step.Refused("state", "the request expired at " + r.expiresAt()));
    }
    return Optional.empty();
  }

  private static ApprovalRequest close(ApprovalRequest r, ApprovalState to, String by, String note, Instant now) {
    return r.next(to, r.approvals(), r.approvedAt(), r.unlocksAt(), Optional.of(by), Optional.of(now),
        Optional.ofNullable(note == null || note.isBlank() ? null : note.strip()));
  }
}
