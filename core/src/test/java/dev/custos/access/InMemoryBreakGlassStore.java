package dev.custos.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A fake {@link BreakGlassStore}; the PostgreSQL one passes the same {@link BreakGlassStoreContract}. */
public final class InMemoryBreakGlassStore implements BreakGlassStore {
  private final TreeMap<Long, BreakGlassReview> uses = new TreeMap<>();
  private long next = 1;

  @Override
  public synchronized long record(BreakGlassUse use) {
    long id = next++;
    uses.put(id, new BreakGlassReview(id, use, Optional.empty()));
    return id;
  }

  @Override
  public synchronized Optional<BreakGlassReview> find(long id) {
    return Optional.ofNullable(uses.get(id));
  }

  @Override
  public synchronized List<BreakGlassReview> pending(int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000");
    }
    List<BreakGlassReview> out = new ArrayList<>();
    for (BreakGlassReview r : uses.values()) {
      if (r.pending() && out.size() < limit) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public synchronized boolean review(long id, BreakGlassReview.Verdict verdict) {
    BreakGlassReview r = uses.get(id);
    if (r == null || !r.pending() || r.use().staff().equals(verdict.reviewer())) {
      return false;
    }
    uses.put(id, new BreakGlassReview(id, r.use(), Optional.of(verdict)));
    return true;
  }

  @Override
  public synchronized long countSince(StaffId staff, Instant since) {
    return uses.values().stream().filter(r -> r.use().staff().equals(staff) && !r.use().at().isBefore(since)).count();
  }
}
