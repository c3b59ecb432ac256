package dev.custos.approval;

import java.util.Locale;

/**
 * Where a request stands. {@code pending → approved → time-locked → executed}, or it ends
 * {@code denied}, {@code cancelled} or {@code expired}. See docs/design/approvals.md.
 */
public enum ApprovalState {
  /** Collecting approvals; editable by its requester (which voids them). */
  PENDING,
  /** Quorum reached; the time-lock starts at that instant; the customer is not yet told. */
  APPROVED,
  /** Customer told (when the policy says so); waiting for the time-lock to elapse; cancellable. */
  TIME_LOCKED,
  /** Handed to the backend, or applied by Custos. Final. */
  EXECUTED,
  /** An eligible approver refused. Final. */
  DENIED,
  /** Withdrawn by its requester, security, or the customer during the time-lock. Final. */
  CANCELLED,
  /** No quorum before the expiry. Final. */
  EXPIRED;

  /** The name used in the API, the database and the ledger, e.g. {@code time-locked}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether nothing more can happen to a request in this state. */
  public boolean isFinal() {
    return this == EXECUTED || this == DENIED || this == CANCELLED || this == EXPIRED;
  }

  /** Parses a wire name; the message names the accepted values. */
  public static ApprovalState parse(String text) {
    for (ApprovalState s : values()) {
      if (s.wireName().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("state must be one of pending, approved, time-locked, executed, denied, "
        + "cancelled, expired");
  }
}
