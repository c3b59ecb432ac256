package dev.custos.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.custos.access.CustomerId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * How often one customer may read their access log: each reading is a ledger entry with its fsync,
 * so a script looping on the route would fill the ledger. At most {@link #PER_HOUR} readings in
 * any hour per customer, per instance (a sliding window, in memory: a restart forgets it).
 */
final class ReadingLimit {
  static final int PER_HOUR = 60;
  private static final Duration WINDOW = Duration.ofHours(1);

  private final InstantSource clock;
  private final int limit;
  private final Cache<String, Deque<Instant>> uses;

  ReadingLimit(InstantSource clock, int limit) {
    this.clock = clock;
    this.limit = limit;
    this.uses = Caffeine.newBuilder().expireAfterAccess(WINDOW).maximumSize(1_000_000).build();
  }

  /** Counts a reading by {@code customer}; empty when allowed, else the seconds until a slot frees. */
  OptionalLong tryAcquire(CustomerId customer) {
    Instant now = clock.instant();
    Deque<Instant> q = uses.get(customer.value(), k -> new ArrayDeque<>());
    synchronized (q) {
      while (!q.isEmpty() && !q.peekFirst().isAfter(now.minus(WINDOW))) {
        q.pollFirst();
      }
      if (q.size() >= limit) {
        long wait = Duration.between(now, q.peekFirst().plus(WINDOW)).toSeconds() + 1;
        return OptionalLong.of(Math.max(1, wait));
      }
      q.addLast(now);
      return OptionalLong.empty();
    }
  }
}
