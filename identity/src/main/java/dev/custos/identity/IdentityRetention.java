package dev.custos.identity;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Forgets the identity rows that no longer decide anything, for the server's periodic purge:
 * sessions that ended (expired or revoked) more than a retention ago, login-attempt state older
 * than the throttle's memory, and TOTP replay steps that no code can reach any more. Each part is
 * safe to run at any time on any instance, and concurrently with logins: none changes a decision.
 */
public final class IdentityRetention {
  /** How long ended sessions are kept (for "my sessions" history and investigations): 7 days. */
  public static final Duration DEFAULT_SESSION_RETENTION = Duration.ofDays(7);

  /** How many rows one purge removed, by kind. */
  public record Purged(int sessions, int loginAttempts, int totpSteps) {
    public int total() {
      return sessions + loginAttempts + totpSteps;
    }
  }

  private final SessionStore sessions;
  private final LoginAttemptStore attempts;
  private final TotpVerifier totp;
  private final Duration sessionRetention;
  private final Duration attemptMemory;
  private final InstantSource clock;

  /**
   * @param sessionRetention how long after its end a session is kept; at least a day
   * @param throttle the throttle's settings: state older than its {@code failureMemory} is forgotten
   */
  public IdentityRetention(SessionStore sessions, LoginAttemptStore attempts, TotpVerifier totp,
      Duration sessionRetention, LoginThrottle.Settings throttle, InstantSource clock) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.attempts = Objects.requireNonNull(attempts, "attempts");
    this.totp = Objects.requireNonNull(totp, "totp");
    Objects.requireNonNull(sessionRetention, "sessionRetention");
    if (sessionRetention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException("sessionRetention must be at least a day, was " + sessionRetention);
    }
    this.sessionRetention = sessionRetention;
    this.attemptMemory = Objects.requireNonNull(throttle, "throttle").failureMemory();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Runs one purge.
   *
   * @throws RuntimeException when a store cannot be reached (the next run tries again)
   */
  public Purged purge() {
    Instant now = clock.instant();
    int s = sessions.purge(now.minus(sessionRetention));
    int a = attempts.purge(now.minus(attemptMemory));
    int t = totp.forgetSpentSteps();
    return new Purged(s, a, t);
  }
}
