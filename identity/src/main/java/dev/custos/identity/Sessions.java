package dev.custos.identity;

import dev.custos.access.StaffId;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-side staff sessions: opened after the first login step, completed by the second (with a
 * new id), renewed at step-up (with a new id), checked on every request, revoked at logout, from the
 * person's own list, or all at once by containment ({@link StaffDirectory#suspend}).
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>Every id is 256 random bits; the store holds only its hash.</li>
 *   <li>A new id at login completion and at step-up (no session fixation: OWASP ASVS 7.2.4); the old
 *       id is revoked in the same transaction.</li>
 *   <li>{@link #check} reads the store on every request, so a revocation committed by any instance
 *       refuses the session on every instance at its next request; there is no cache to go stale.</li>
 *   <li>Idle and absolute timeouts are enforced here, not by cookie lifetimes.</li>
 *   <li>A store failure is {@link SessionCheck.Unavailable}: never a valid session.</li>
 * </ul>
 */
public final class Sessions {
  /** A session with the secret that opens it, to be set as the cookie; the secret exists only here. */
  public record Opened(SessionSecret secret, Session session) {}

  private final SessionStore store;
  private final SessionPolicy policy;
  private final InstantSource clock;
  private final SecureRandom random;

  public Sessions(SessionStore store, SessionPolicy policy, InstantSource clock, SecureRandom random) {
    this.store = Objects.requireNonNull(store, "store");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  public SessionPolicy policy() {
    return policy;
  }

  /** Opens a pending session for {@code staff} after the first step; it lives {@link SessionPolicy#pending()}. */
  public Opened openPending(StaffId staff, String method, String address, String userAgent, String pending) {
    Instant now = clock.instant();
    Session s = new Session(SessionHandle.random(random), staff, SessionState.PENDING, method, now, now,
        now.plus(policy.pending()), Optional.empty(), address, userAgent, pending, Optional.empty(), Optional.empty());
    SessionSecret secret = SessionSecret.random(random);
    store.insert(secret.storageKey(), s);
    return new Opened(secret, s);
  }

  /** Opens a complete session directly (single sign-on, where the provider proved both factors). */
  public Opened openActive(StaffId staff, String method, Optional<Instant> mfaAt, String address, String userAgent) {
    Instant now = clock.instant();
    Session s = new Session(SessionHandle.random(random), staff, SessionState.ACTIVE, method, now, now,
        now.plus(policy.absolute()), mfaAt, address, userAgent, "", Optional.empty(), Optional.empty());
    SessionSecret secret = SessionSecret.random(random);
    store.insert(secret.storageKey(), s);
    return new Opened(secret, s);
  }

  /**
   * Completes a pending login with a new id: the pending session is revoked and an active one opened,
   * with the second factor's time as its MFA time.
   *
   * @return empty when the pending session was revoked or completed meanwhile (a double submit)
   */
  public Optional<Opened> complete(SessionSecret pending, Session pendingSession, String method) {
    Instant now = clock.instant();
    Session next = new Session(SessionHandle.random(random), pendingSession.staff(), SessionState.ACTIVE, method,
        now, now, now.plus(policy.absolute()), Optional.of(now), pendingSession.address(), pendingSession.userAgent(),
        "", Optional.empty(), Optional.empty());
    SessionSecret secret = SessionSecret.random(random);
    return store.rotate(pending.storageKey(), secret.storageKey(), next, now)
        ? Optional.of(new Opened(secret, next)) : Optional.empty();
  }

  /**
   * Renews an active session after a second factor was proven again: a new id, the same absolute
   * end, the MFA time now.
   *
   * @return empty when the session was revoked meanwhile
   */
  public Optional<Opened> stepUp(SessionSecret current, Session session) {
    Instant now = clock.instant();
    Session next = new Session(SessionHandle.random(random), session.staff(), SessionState.ACTIVE, session.method(),
        session.createdAt(), now, session.expiresAt(), Optional.of(now), session.address(), session.userAgent(), "",
        Optional.empty(), Optional.empty());
    SessionSecret secret = SessionSecret.random(random);
    return store.rotate(current.storageKey(), secret.storageKey(), next, now)
        ? Optional.of(new Opened(secret, next)) : Optional.empty();
  }

  /**
   * Whether {@code cookie} names a live session in {@code state}; records activity at most every
   * {@link SessionPolicy#touchEvery()}. Never throws.
   */
  public SessionCheck check(String cookie, SessionState state) {
    Optional<SessionSecret> secret = SessionSecret.parse(cookie);
    if (secret.isEmpty()) {
      return new SessionCheck.Refused(SessionCheck.Reason.MISSING);
    }
    Instant now = clock.instant();
    try {
      Optional<Session> found = store.find(secret.get().storageKey());
      if (found.isEmpty()) {
        return new SessionCheck.Refused(SessionCheck.Reason.UNKNOWN);
      }
      Session s = found.get();
      if (s.isRevoked()) {
        return new SessionCheck.Refused(SessionCheck.Reason.REVOKED);
      }
      if (!now.isBefore(s.expiresAt())) {
        return new SessionCheck.Refused(SessionCheck.Reason.EXPIRED);
      }
      if (s.state() == SessionState.ACTIVE && !now.isBefore(s.lastSeenAt().plus(policy.idle()))) {
        store.revoke(secret.get().storageKey(), "idle", now);
        return new SessionCheck.Refused(SessionCheck.Reason.IDLE);
      }
      if (s.state() != state) {
        return new SessionCheck.Refused(SessionCheck.Reason.WRONG_STATE);
      }
      if (s.state() == SessionState.ACTIVE && !now.isBefore(s.lastSeenAt().plus(policy.touchEvery()))) {
        if (!store.touch(secret.get().storageKey(), now)) {
          return new SessionCheck.Refused(SessionCheck.Reason.REVOKED); // revoked between the read and the touch
        }
      }
      return new SessionCheck.Valid(s, secret.get());
    } catch (RuntimeException e) {
      return new SessionCheck.Unavailable();
    }
  }

  /** Replaces the pending next-step state of a live session. */
  public boolean setPending(SessionSecret secret, String pending) {
    return store.setPending(secret.storageKey(), pending);
  }

  /** Ends the session (logout). @return whether it was live */
  public boolean logout(SessionSecret secret) {
    return store.revoke(secret.storageKey(), "logout", clock.instant());
  }

  /** The live sessions of {@code staff}, newest first. */
  public List<Session> live(StaffId staff) {
    return store.live(staff, clock.instant());
  }

  /** Revokes one of {@code staff}'s own sessions by its public handle. */
  public boolean revoke(StaffId staff, SessionHandle handle, String reason) {
    return store.revoke(staff, handle, reason, clock.instant());
  }

  /** Revokes every session of {@code staff}. @return how many */
  public int revokeAll(StaffId staff, String reason) {
    return store.revokeAll(staff, reason, clock.instant());
  }

  /** Whether a second factor was proven in {@code session} within {@code maxAge} (for reveals and approvals). */
  public boolean mfaWithin(Session session, java.time.Duration maxAge) {
    Instant now = clock.instant();
    return session.mfaAt().map(t -> !t.plus(maxAge).isBefore(now)).orElse(false);
  }
}
