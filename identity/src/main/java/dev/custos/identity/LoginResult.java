package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one step of a local staff login ({@link LocalLogin}).
 *
 * <p>{@link Refused} carries a reason for logs, metrics and detection only (a burst of
 * {@link Reason#UNKNOWN_ACCOUNT} is an enumeration attempt). Callers MUST give the client the same
 * answer, in the same time, for every {@link Refused}: in particular an unknown account and a wrong
 * password are indistinguishable from outside (OWASP ASVS 6.3.8).
 */
public sealed interface LoginResult {
  /** The password was right; the login MUST continue with a second factor for {@code account}. */
  record PasswordAccepted(StaffId account) implements LoginResult {}

  /** Both factors are proven: {@code account} may be given a session. */
  record Authenticated(StaffId account, Factor secondFactor) implements LoginResult {}

  /** The credentials were not accepted. */
  record Refused(Reason reason) implements LoginResult {}

  /** The account name is locked until {@code until}; no credential was checked. */
  record Locked(Instant until) implements LoginResult {}

  /** The client address must wait {@code retryAfter}; no credential was checked. */
  record Throttled(Duration retryAfter) implements LoginResult {}

  /** A store could not be reached: fail closed. */
  record Unavailable() implements LoginResult {}

  /** Why credentials were refused. */
  enum Reason {
    /** No local account has that name (the password was still hashed, for equal timing). */
    UNKNOWN_ACCOUNT,
    WRONG_PASSWORD,
    /** The second factor code is wrong (TOTP or recovery code). */
    WRONG_CODE,
    /** A correct TOTP code whose time step, or a later one, was already used. */
    REPLAYED_CODE,
    /** The code is not of the expected form. */
    MALFORMED_CODE,
    /** The account has no authenticator enrolled, so TOTP cannot complete its login. */
    FACTOR_NOT_ENROLLED
  }
}
