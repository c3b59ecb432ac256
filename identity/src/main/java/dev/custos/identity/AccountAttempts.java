package dev.custos.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The login-attempt state of one account name (known or not), as {@link LoginThrottle} keeps it in
 * a {@link LoginAttemptStore}.
 *
 * @param failures attempts counted against the account since its last successful login: every
 *     admitted attempt counts until it is proven good, so a crash or a flood of parallel attempts
 *     can never slip past the limit
 * @param lastAttempt when the last counted attempt was admitted
 * @param lockedUntil the end of the current or last lockout
 */
public record AccountAttempts(int failures, Optional<Instant> lastAttempt, Optional<Instant> lockedUntil) {
  /** Nothing recorded: what the store returns for an account it has never seen. */
  public static final AccountAttempts NONE = new AccountAttempts(0, Optional.empty(), Optional.empty());

  public AccountAttempts {
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lockedUntil, "lockedUntil");
    if (failures < 0) {
      throw new IllegalArgumentException("failures must not be negative, was " + failures);
    }
  }

  /** Whether the account is locked at {@code now}. */
  public boolean lockedAt(Instant now) {
    return lockedUntil.map(now::isBefore).orElse(false);
  }
}
