package dev.custos.access;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link CaseStore} that serves {@link #find} from a short-lived cache (see {@link ReadCache})
 * and drops a case's entry whenever it writes that case. Readers and the writer ({@link Cases}) of
 * one instance MUST share one object: a case approved or closed here takes effect here at once, and
 * one changed by another instance when its {@link ChangeFeed} message arrives (never later than the TTL).
 */
public final class CachedCaseStore implements CaseStore {
  /** The most cases kept. */
  static final long MAXIMUM = 10_000;

  private final CaseStore store;
  private final ReadCache<CaseId, Optional<Case>> found;

  public CachedCaseStore(CaseStore store, Duration ttl, InstantSource clock, ChangeFeed feed) {
    this.store = Objects.requireNonNull(store, "store");
    this.found = new ReadCache<>(ttl, MAXIMUM, clock, feed, ChangeFeed.Topic.CASE, CaseId::value, CaseId::parse);
  }

  @Override
  public boolean create(Case kase) {
    try {
      return store.create(kase);
    } finally {
      found.changed(kase.id());
    }
  }

  @Override
  public Optional<Case> find(CaseId id) {
    return found.get(id, store::find);
  }

  @Override
  public boolean approve(CaseId id, CaseApproval approval) {
    try {
      return store.approve(id, approval);
    } finally {
      found.changed(id);
    }
  }

  @Override
  public boolean close(CaseId id, Instant at) {
    try {
      return store.close(id, at);
    } finally {
      found.changed(id);
    }
  }

  @Override
  public List<Case> runningCasesOf(StaffId member, Instant now) {
    return store.runningCasesOf(member, now);
  }
}
