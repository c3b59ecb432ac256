package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A fake {@link TotpReplayStore}; the PostgreSQL one extends {@link TotpReplayStoreContract} in {@code store}. */
final class InMemoryTotpReplayStore implements TotpReplayStore {
  private final ConcurrentHashMap<StaffId, Long> highest = new ConcurrentHashMap<>();
  volatile boolean failing;

  @Override
  public boolean markUsed(StaffId account, long step) {
    if (failing) {
      throw new IllegalStateException("store down");
    }
    AtomicBoolean recorded = new AtomicBoolean();
    highest.compute(account, (k, previous) -> {
      if (previous != null && previous >= step) {
        return previous;
      }
      recorded.set(true);
      return step;
    });
    return recorded.get();
  }

  @Override
  public int purge(long belowStep) {
    if (failing) {
      throw new IllegalStateException("store down");
    }
    int[] removed = {0};
    for (StaffId account : highest.keySet()) {
      highest.computeIfPresent(account, (k, step) -> {
        if (step < belowStep) {
          removed[0]++;
          return null;
        }
        return step;
      });
    }
    return removed[0];
  }
}
