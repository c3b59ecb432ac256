package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fake {@link SessionStore}; the PostgreSQL one extends {@link SessionStoreContract} in {@code store}.
 * One monitor (this object) guards every method, and {@link InMemoryStaffDirectory} takes the same
 * monitor to suspend an account and revoke its sessions as one step.
 */
final class InMemorySessionStore implements SessionStore {
  private final Map<String, Session> byKey = new HashMap<>();
  volatile boolean failing;

  @Override
  public synchronized void insert(String key, Session session) {
    check();
    if (byKey.containsKey(key)) {
      throw new IllegalStateException("a session exists under this key");
    }
    if (byKey.values().stream().anyMatch(s -> s.handle().equals(session.handle()))) {
      throw new IllegalStateException("a session exists with handle " + session.handle());
    }
    byKey.put(key, micros(session));
  }

  @Override
  public synchronized Optional<Session> find(String key) {
    check();
    return Optional.ofNullable(byKey.get(key));
  }

  @Override
  public synchronized boolean rotate(String oldKey, String newKey, Session next, Instant at) {
    check();
    Session old = byKey.get(oldKey);
    if (old == null || old.isRevoked()) {
      return false;
    }
    insert(newKey, next); // throws, before anything changed, when the key or handle is taken
    byKey.put(oldKey, revoked(old, "rotated", at));
    return true;
  }

  @Override
  public synchronized boolean touch(String key, Instant lastSeenAt) {
    check();
    Session s = byKey.get(key);
    if (s == null || s.isRevoked()) {
      return false;
    }
    Instant seen = micros(lastSeenAt).isAfter(s.lastSeenAt()) ? micros(lastSeenAt) : s.lastSeenAt();
    byKey.put(key, new Session(s.handle(), s.staff(), s.state(), s.method(), s.createdAt(), seen, s.expiresAt(),
        s.mfaAt(), s.address(), s.userAgent(), s.pending(), s.revokedAt(), s.revokedReason()));
    return true;
  }

  @Override
  public synchronized boolean setPending(String key, String pending) {
    check();
    Session s = byKey.get(key);
    if (s == null || s.isRevoked()) {
      return false;
    }
    byKey.put(key, s.withPending(pending));
    return true;
  }

  @Override
  public synchronized boolean revoke(String key, String reason, Instant at) {
    check();
    Session s = byKey.get(key);
    if (s == null || s.isRevoked()) {
      return false;
    }
    byKey.put(key, revoked(s, reason, at));
    return true;
  }

  @Override
  public synchronized boolean revoke(StaffId staff, SessionHandle handle, String reason, Instant at) {
    check();
    for (Map.Entry<String, Session> e : byKey.entrySet()) {
      Session s = e.getValue();
      if (s.staff().equals(staff) && s.handle().equals(handle) && !s.isRevoked()) {
        e.setValue(revoked(s, reason, at));
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized int revokeAll(StaffId staff, String reason, Instant at) {
    check();
    int count = 0;
    for (Map.Entry<String, Session> e : byKey.entrySet()) {
      Session s = e.getValue();
      if (s.staff().equals(staff) && !s.isRevoked()) {
        e.setValue(revoked(s, reason, at));
        count++;
      }
    }
    return count;
  }

  @Override
  public synchronized List<Session> live(StaffId staff, Instant now) {
    check();
    return byKey.values().stream()
        .filter(s -> s.staff().equals(staff) && !s.isRevoked() && now.isBefore(s.expiresAt()))
        .sorted(Comparator.comparing(Session::createdAt).reversed())
        .toList();
  }

  @Override
  public synchronized int purge(Instant before) {
    check();
    int count = 0;
    for (Iterator<Session> it = byKey.values().iterator(); it.hasNext(); ) {
      Session s = it.next();
      if (s.expiresAt().isBefore(before) || s.revokedAt().map(r -> r.isBefore(before)).orElse(false)) {
        it.remove();
        count++;
      }
    }
    return count;
  }

  private static Session revoked(Session s, String reason, Instant at) {
    return new Session(s.handle(), s.staff(), s.state(), s.method(), s.createdAt(), s.lastSeenAt(), s.expiresAt(),
        s.mfaAt(), s.address(), s.userAgent(), s.pending(), Optional.of(micros(at)), Optional.of(reason));
  }

  /** What PostgreSQL keeps of an instant: whole microseconds. */
  static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }

  private static Session micros(Session s) {
    return new Session(s.handle(), s.staff(), s.state(), s.method(), micros(s.createdAt()), micros(s.lastSeenAt()),
        micros(s.expiresAt()), s.mfaAt().map(InMemorySessionStore::micros), s.address(), s.userAgent(), s.pending(),
        s.revokedAt().map(InMemorySessionStore::micros), s.revokedReason());
  }

  private void check() {
    if (failing) {
      throw new IllegalStateException("store down");
    }
  }
}
