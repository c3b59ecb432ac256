package dev.custos.access;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Opens, approves and closes investigation cases. A case is a purpose only once a lead
 * (support-l2 or security-analyst) other than its opener approved it; the policy checks that again
 * at every decision, so a case changed behind this service's back still counts only if it is right.
 */
public final class Cases {
  /** The longest a case may run: investigations are renewed deliberately, not left open. */
  public static final Duration MAX_DURATION = Duration.ofDays(30);

  private final CaseStore store;

  public Cases(CaseStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Opens a case led by {@code lead}, for {@code customers}, worked by {@code members} (the lead is
   * added), running for {@code duration} (at most {@link #MAX_DURATION}). Refused for an inactive
   * lead, a lead who sees no customer data, or a taken id.
   */
  public CaseOutcome open(StaffSubject lead, CaseId id, String title, Set<CustomerId> customers, Set<StaffId> members,
      Duration duration, Instant now) {
    if (!lead.active()) {
      return new CaseOutcome.Refused("staff member " + lead.id() + " is suspended");
    }
    if (lead.roles().isEmpty() || lead.roles().stream().allMatch(r -> r == Role.ADMINISTRATOR || r == Role.AUDITOR)) {
      return new CaseOutcome.Refused("staff member " + lead.id() + " sees no customer data and cannot open a case");
    }
    if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
      return new CaseOutcome.Refused("a case runs for more than nothing and at most " + MAX_DURATION.toDays() + " days");
    }
    Set<StaffId> all = new HashSet<>(members);
    all.add(lead.id());
    Case c = new Case(id, lead.id(), title, customers, all, now, now.plus(duration), Optional.empty(), Optional.empty());
    return store.create(c) ? new CaseOutcome.Done(c) : new CaseOutcome.Refused("case " + id + " already exists");
  }

  /** Approves a case: by an active lead who did not open it, while it runs, once. */
  public CaseOutcome approve(StaffSubject approver, CaseId id, Instant now) {
    Optional<Case> found = store.find(id);
    if (found.isEmpty()) {
      return new CaseOutcome.Refused("case " + id + " is not known");
    }
    CaseOutcome allowed = mayApprove(approver, found.get(), now);
    if (!(allowed instanceof CaseOutcome.Done d)) {
      return allowed;
    }
    return write(d.kase());
  }

  /**
   * Whether {@code approver} may approve {@code c} now, by the rules alone (nothing written): the
   * case as it would be once approved, or why not. {@link #write} then stores it.
   */
  public CaseOutcome mayApprove(StaffSubject approver, Case c, Instant now) {
    CaseId id = c.id();
    if (!approver.active()) {
      return new CaseOutcome.Refused("staff member " + approver.id() + " is suspended");
    }
    if (approver.id().equals(c.lead())) {
      return new CaseOutcome.Refused("the lead of case " + id + " cannot approve it");
    }
    CaseApproval approval = new CaseApproval(approver.id(), approver.roles(), now);
    if (!approval.byLead()) {
      return new CaseOutcome.Refused("only support-l2 or security-analyst may approve a case");
    }
    if (!c.runningAt(now)) {
      return new CaseOutcome.Refused("case " + id + " has expired or was closed");
    }
    if (c.approval().isPresent()) {
      return new CaseOutcome.Refused("case " + id + " is already approved");
    }
    return new CaseOutcome.Done(c.withApproval(approval));
  }

  /** Stores the approval {@link #mayApprove} allowed, if the case is still as it was (atomically). */
  public CaseOutcome write(Case approved) {
    CaseApproval approval = approved.approval().orElseThrow(() -> new IllegalArgumentException("not an approved case"));
    return store.approve(approved.id(), approval) ? new CaseOutcome.Done(approved)
        : new CaseOutcome.Refused("case " + approved.id() + " changed meanwhile (approved or closed by someone else)");
  }

  /** Closes a case early; its lead, members or a security analyst may. */
  public CaseOutcome close(StaffSubject by, CaseId id, Instant now) {
    Optional<Case> found = store.find(id);
    if (found.isEmpty()) {
      return new CaseOutcome.Refused("case " + id + " is not known");
    }
    Case c = found.get();
    if (!c.members().contains(by.id()) && !by.has(Role.SECURITY_ANALYST)) {
      return new CaseOutcome.Refused(by.id() + " may not close case " + id);
    }
    return store.close(id, now) ? new CaseOutcome.Done(c.closed(now))
        : new CaseOutcome.Refused("case " + id + " is already closed");
  }
}
