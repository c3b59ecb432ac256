package dev.custos.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where cases are kept (PostgreSQL in production). Only {@link Cases} writes. */
public interface CaseStore {
  /** Stores a new case; false (and nothing written) when its id is taken. */
  boolean create(Case kase);

  /** The case, if known. */
  Optional<Case> find(CaseId id);

  /**
   * Records {@code approval} if, atomically, the case exists, has no approval and is not closed.
   *
   * @return whether it was recorded
   */
  boolean approve(CaseId id, CaseApproval approval);

  /** Closes the case at {@code at} if it is not closed; returns whether it closed now. */
  boolean close(CaseId id, Instant at);

  /** The cases {@code member} belongs to that are not closed and not expired at {@code now}, newest first. */
  List<Case> runningCasesOf(StaffId member, Instant now);
}
