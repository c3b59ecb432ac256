package dev.custos.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A short-lived read cache of the access path (tickets, cases, vault records) that never serves
 * what this instance changed, and hears what other instances changed through a {@link ChangeFeed}.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>{@link #changed} drops the key before it returns, and Caffeine never interleaves a load and
 *       an invalidation of one key, so after a write through this instance returns no reader here
 *       sees the value from before it.</li>
 *   <li>A change published by another instance drops the key when it is heard (milliseconds). While
 *       the feed is not live, nothing is served from the cache; a load that spans a gap in the feed
 *       is not kept.</li>
 *   <li>Whatever happens to the feed, no entry is served longer than the TTL after it was loaded.</li>
 * </ul>
 *
 * <p>Each entry lives a random time between half the TTL and the TTL ({@link #expiringWithin}), so
 * that entries loaded together (a warm-up, a busy minute) do not all expire in the same instant and
 * send every reader to the database at once.
 */
public final class ReadCache<K, V> {
  private final Cache<K, V> cache;
  private final ChangeFeed feed;
  private final ChangeFeed.Topic topic;
  private final Function<K, String> wire;

  /**
   * @param ttl how long an entry may be served after it was loaded; positive
   * @param maximumSize the most entries kept (least recently used go first)
   * @param wire the key as published; {@code parse} reads it back (throwing for a foreign key)
   */
  public ReadCache(Duration ttl, long maximumSize, InstantSource clock, ChangeFeed feed, ChangeFeed.Topic topic,
      Function<K, String> wire, Function<String, K> parse) {
    Objects.requireNonNull(clock, "clock");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a read cache's TTL must be positive, got " + ttl);
    }
    this.feed = Objects.requireNonNull(feed, "feed");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.wire = Objects.requireNonNull(wire, "wire");
    Objects.requireNonNull(parse, "parse");
    this.cache = Caffeine.newBuilder().expireAfter(ReadCache.<K, V>expiringWithin(ttl)).maximumSize(maximumSize)
        .ticker(ticker(clock)).build();
    feed.subscribe(topic, key -> {
      if (ChangeFeed.ALL.equals(key)) {
        cache.invalidateAll();
        return;
      }
      K k;
      try {
        k = parse.apply(key);
      } catch (RuntimeException e) {
        cache.invalidateAll(); // a key this version cannot read: drop everything rather than guess
        return;
      }
      cache.invalidate(k);
    });
  }

  /**
   * An expiry that gives each entry, when it is loaded or replaced, a lifetime drawn uniformly between
   * half of {@code ttl} and {@code ttl}; reading it does not extend it. Never longer than {@code ttl}.
   */
  public static <K, V> Expiry<K, V> expiringWithin(Duration ttl) {
    long max = ttl.toNanos();
    if (max <= 0) {
      throw new IllegalArgumentException("a cache's TTL must be positive, got " + ttl);
    }
    long min = max - max / 2;
    return new Expiry<>() {
      private long lifetime() {
        return min == max ? max : ThreadLocalRandom.current().nextLong(min, max + 1);
      }

      @Override
      public long expireAfterCreate(K key, V value, long currentTime) {
        return lifetime();
      }

      @Override
      public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return lifetime();
      }

      @Override
      public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    };
  }

  /** Caffeine's clock from the access path's clock, so that tests can move both. */
  public static Ticker ticker(InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  /** The value of {@code key}, loaded by {@code loader} unless a fresh one is cached; a null value is not kept. */
  public V get(K key, Function<? super K, ? extends V> loader) {
    if (!feed.live()) {
      return loader.apply(key);
    }
    long epoch = feed.epoch();
    V v = cache.get(key, loader);
    if (feed.epoch() != epoch) {
      cache.invalidate(key); // changes may have been missed while it loaded
    }
    return v;
  }

  /** After this instance changed {@code key} (committed or failed): drops it here and tells the other instances. */
  public void changed(K key) {
    changed(List.of(key));
  }

  /** {@link #changed(Object)} for several keys, told in one message batch. */
  public void changed(Collection<K> keys) {
    if (keys.isEmpty()) {
      return;
    }
    cache.invalidateAll(keys);
    feed.publish(topic, keys.stream().map(wire).toList());
  }
}
