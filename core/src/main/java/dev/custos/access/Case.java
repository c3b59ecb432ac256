package dev.custos.access;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An investigation case: a bounded list of customers its members may see without a ticket, once
 * a lead other than its opener has approved it, until it expires or is closed.
 *
 * @param id the case
 * @param lead who opened it (and is responsible for it)
 * @param title what it is about: 1-200 characters, no control characters
 * @param customers the customers it covers: 1-{@value #MAX_CUSTOMERS}
 * @param members who may work it: 1-{@value #MAX_MEMBERS}; the lead among them
 * @param openedAt when it was opened
 * @param expiresAt when it stops counting as a purpose; after {@code openedAt}
 * @param approval the approval, if any
 * @param closedAt when it was closed early, if it was
 */
public record Case(CaseId id, StaffId lead, String title, Set<CustomerId> customers, Set<StaffId> members,
    Instant openedAt, Instant expiresAt, Optional<CaseApproval> approval, Optional<Instant> closedAt) {
  /** Most customers one case may list: a case is an investigation, not a bulk export. */
  public static final int MAX_CUSTOMERS = 500;
  /** Most members one case may have. */
  public static final int MAX_MEMBERS = 50;

  public Case {
    Objects.requireNonNull(id, "case id");
    Objects.requireNonNull(lead, "lead");
    if (title == null || title.isBlank() || title.length() > 200 || title.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("case title must be 1-200 characters without control characters");
    }
    customers = Set.copyOf(Objects.requireNonNull(customers, "customers"));
    if (customers.isEmpty() || customers.size() > MAX_CUSTOMERS) {
      throw new IllegalArgumentException("case customers must list 1-" + MAX_CUSTOMERS + " customers");
    }
    members = Set.copyOf(Objects.requireNonNull(members, "members"));
    if (members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("case members must be at most " + MAX_MEMBERS);
    }
    if (!members.contains(lead)) {
      throw new IllegalArgumentException("case members must include the lead");
    }
    Objects.requireNonNull(openedAt, "openedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(openedAt)) {
      throw new IllegalArgumentException("case expiresAt must be after openedAt");
    }
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(closedAt, "closedAt");
  }

  /** Who approved the case, if anyone. */
  public Optional<StaffId> approvedBy() {
    return approval.map(CaseApproval::by);
  }

  /** Whether the approval counts: present, by someone other than the lead, who held a lead role. */
  public boolean approvedByAnotherLead() {
    return approval.isPresent() && !approval.get().by().equals(lead) && approval.get().byLead();
  }

  /** Whether the case is still running at {@code now}: not closed and not expired. */
  public boolean runningAt(Instant now) {
    return closedAt.isEmpty() && now.isBefore(expiresAt);
  }

  /** This case, approved. */
  public Case withApproval(CaseApproval a) {
    return new Case(id, lead, title, customers, members, openedAt, expiresAt, Optional.of(a), closedAt);
  }

  /** This case, closed at {@code at}. */
  public Case closed(Instant at) {
    return new Case(id, lead, title, customers, members, openedAt, expiresAt, approval, Optional.of(at));
  }
}
