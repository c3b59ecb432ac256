package dev.custos.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * The short-lived read caches of the access path (tickets, cases, vault records): entries expire a
 * fixed time after they were loaded, on the clock the rest of the path uses (so tests can move it).
 *
 * <p>Every cache built here serves a store that this instance also writes through the same cache
 * object, which drops the entry when it writes. Caffeine runs a load and an invalidation of the same
 * key one after the other, never interleaved, so after a write returns this instance never reads the
 * value from before it. What a TTL bounds is only how long a change made by another instance sharing
 * the database stays unseen.
 */
public final class ReadCaches {
  private ReadCaches() {}

  /**
   * @param ttl how long an entry may be served after it was loaded; positive
   * @param maximumSize the most entries kept (least recently used go first)
   */
  public static <K, V> Cache<K, V> expiring(Duration ttl, long maximumSize, InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a read cache's TTL must be positive, got " + ttl);
    }
    return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maximumSize).ticker(() -> nanos(clock)).build();
  }

  private static long nanos(InstantSource clock) {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
