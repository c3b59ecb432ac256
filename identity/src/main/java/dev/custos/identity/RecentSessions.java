package dev.custos.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.custos.access.ChangeFeed;
import dev.custos.access.ReadCache;
import dev.custos.access.Role;
import dev.custos.access.Shift;
import dev.custos.access.StaffId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live sessions recently checked against the store, with their staff account, so that a person
 * working through many requests costs one session read and one account read per TTL instead of per
 * request.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Every change this instance makes to any session or any account (a logout, a revocation, a
 *       step-up's rotation, a suspension, a role change, a purge) goes through a store returned by
 *       {@link #watching(SessionStore)} or {@link #watching(StaffDirectory)}, which moves the
 *       generation on once the change is committed; entries remembered under an earlier generation are
 *       never served again. A check that started before a change and finished after it remembers
 *       under the generation it read first, so it is not served either. So on this instance a change
 *       takes effect at the very next request, as without the cache.</li>
 *   <li>Each such change is also published on the {@link ChangeFeed}; a change committed by another
 *       instance ends every remembered session here when its message arrives (milliseconds). While
 *       the feed is not live nothing is served; a change whose message was lost takes effect within
 *       the TTL (DESIGN.md: containment reaches every instance within a bounded time).</li>
 *   <li>A remembered session is still refused at its absolute expiry; only ACTIVE sessions of
 *       active accounts are remembered, and under the session's storage key (a hash), never the
 *       secret itself.</li>
 * </ul>
 */
public final class RecentSessions {
  /** The most sessions remembered. */
  static final long MAXIMUM = 50_000;

  /** A session as checked, with its account. */
  public record Recent(Session session, StaffAccount account) {}

  private record Entry(long generation, Recent recent) {}

  private final AtomicLong generation = new AtomicLong();
  private final Cache<String, Entry> entries;
  private final InstantSource clock;
  private final ChangeFeed feed;

  /**
   * @param ttl the longest a checked session may be served without reading it again (each lives between half of
   *     it and it); positive
   * @param feed how other instances sharing the database tell this one of changed sessions and accounts
   */
  public RecentSessions(Duration ttl, InstantSource clock, ChangeFeed feed) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.feed = Objects.requireNonNull(feed, "feed");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the session cache's TTL must be positive, got " + ttl);
    }
    // Between half the TTL and the TTL each, so that sessions checked together are not all read again together.
    this.entries = Caffeine.newBuilder().expireAfter(ReadCache.<String, Entry>expiringWithin(ttl)).maximumSize(MAXIMUM)
        .ticker(ReadCache.ticker(clock)).build();
    // Any change anywhere, or a gap in hearing of them, ends every remembered session.
    feed.subscribe(ChangeFeed.Topic.STAFF, key -> generation.incrementAndGet());
  }

  /** The generation to pass to {@link #remember}; read it BEFORE checking the session in the store. */
  public long generation() {
    return generation.get() + feed.epoch();
  }

  /** The session remembered under {@code storageKey}, if it was remembered in the current generation and has not expired. */
  public Optional<Recent> find(String storageKey) {
    if (!feed.live()) {
      return Optional.empty();
    }
    Entry e = entries.getIfPresent(storageKey);
    if (e == null || e.generation() != generation() || !clock.instant().isBefore(e.recent().session().expiresAt())) {
      return Optional.empty();
    }
    return Optional.of(e.recent());
  }

  /** Remembers a session just found valid in the store, checked from generation {@code checkedAt} on. */
  public void remember(String storageKey, long checkedAt, Session session, StaffAccount account) {
    if (session.state() != SessionState.ACTIVE || session.isRevoked() || !account.isActive()
        || checkedAt != generation()) {
      return;
    }
    entries.put(storageKey, new Entry(checkedAt, new Recent(session, account)));
  }

  /** After a change here committed (or failed): ends every remembered session here, and tells the other instances. */
  private void changed(String key) {
    generation.incrementAndGet();
    feed.publish(ChangeFeed.Topic.STAFF, List.of(key));
  }

  /** {@code store}, moving the generation on after every change it makes. */
  public SessionStore watching(SessionStore store) {
    Objects.requireNonNull(store, "store");
    return new SessionStore() {
      @Override
      public void insert(String key, Session session) {
        store.insert(key, session);
      }

      @Override
      public Optional<Session> find(String key) {
        return store.find(key);
      }

      @Override
      public boolean rotate(String oldKey, String newKey, Session next, Instant at) {
        try {
          return store.rotate(oldKey, newKey, next, at);
        } finally {
          changed(next.staff().value());
        }
      }

      @Override
      public boolean touch(String key, Instant lastSeenAt) {
        return store.touch(key, lastSeenAt);
      }

      @Override
      public boolean setPending(String key, String pending) {
        try {
          return store.setPending(key, pending);
        } finally {
          changed(ChangeFeed.ALL);
        }
      }

      @Override
      public boolean revoke(String key, String reason, Instant at) {
        try {
          return store.revoke(key, reason, at);
        } finally {
          changed(ChangeFeed.ALL);
        }
      }

      @Override
      public boolean revoke(StaffId staff, SessionHandle handle, String reason, Instant at) {
        try {
          return store.revoke(staff, handle, reason, at);
        } finally {
          changed(staff.value());
        }
      }

      @Override
      public int revokeAll(StaffId staff, String reason, Instant at) {
        try {
          return store.revokeAll(staff, reason, at);
        } finally {
          changed(staff.value());
        }
      }

      @Override
      public List<Session> live(StaffId staff, Instant now) {
        return store.live(staff, now);
      }

      @Override
      public int purge(Instant before) {
        try {
          return store.purge(before);
        } finally {
          changed(ChangeFeed.ALL);
        }
      }
    };
  }

  /** {@code directory}, moving the generation on after every change it makes. */
  public StaffDirectory watching(StaffDirectory directory) {
    Objects.requireNonNull(directory, "directory");
    return new StaffDirectory() {
      @Override
      public boolean create(StaffAccount account, Optional<PasswordHash> password) {
        return directory.create(account, password);
      }

      @Override
      public Optional<StaffAccount> find(StaffId id) {
        return directory.find(id);
      }

      @Override
      public List<StaffAccount> list() {
        return directory.list();
      }

      @Override
      public Optional<Integer> suspend(StaffId id, String reason, Instant at) {
        try {
          return directory.suspend(id, reason, at);
        } finally {
          changed(id.value());
        }
      }

      @Override
      public boolean restore(StaffId id, String reason, Instant at) {
        try {
          return directory.restore(id, reason, at);
        } finally {
          changed(id.value());
        }
      }

      @Override
      public boolean setRoles(StaffId id, Set<Role> roles) {
        try {
          return directory.setRoles(id, roles);
        } finally {
          changed(id.value());
        }
      }

      @Override
      public boolean setShift(StaffId id, Optional<Shift> shift) {
        try {
          return directory.setShift(id, shift);
        } finally {
          changed(id.value());
        }
      }
    };
  }
}
