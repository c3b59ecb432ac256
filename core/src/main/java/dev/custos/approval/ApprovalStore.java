package dev.custos.approval;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where approval requests are kept (PostgreSQL in production). Only {@link ApprovalDesk} writes. */
public interface ApprovalStore {
  /** Stores a new request (version 1); false, and nothing written, when its id is taken. */
  boolean create(ApprovalRequest request);

  /** The request with the approvals of its current content, if known. */
  Optional<ApprovalRequest> find(RequestId id);

  /**
   * Replaces {@code current} by {@code next} if, atomically, the stored request is still at
   * {@code current.version()}; {@code next.version()} is one more. Implementations MUST make this
   * all-or-nothing (state, content and approvals together) and MUST let exactly one of several
   * concurrent replacements of the same version succeed.
   *
   * @return whether {@code next} is now stored
   */
  boolean replace(ApprovalRequest current, ApprovalRequest next);

  /**
   * Requests, newest first, at most {@code limit}: in {@code state} if given, made by
   * {@code requester} if given.
   */
  List<ApprovalRequest> list(Optional<ApprovalState> state, Optional<StaffId> requester, int limit);

  /**
   * Requests the sweep has work for at {@code now}, oldest first, at most {@code limit}: pending
   * past their expiry, approved, and time-locked whose time-lock elapsed.
   */
  List<ApprovalRequest> due(Instant now, int limit);
}
