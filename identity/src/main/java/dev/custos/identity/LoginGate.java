package dev.custos.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a login attempt may go on to check credentials ({@link LoginThrottle#admit}). The answer
 * depends only on the account name and the address, never on whether the account exists, so
 * showing it to the client reveals nothing about which accounts exist.
 */
public sealed interface LoginGate {
  /** Check the credentials. The attempt already counts as a failure until proven good. */
  record Allowed() implements LoginGate {}

  /** The account name has too many failures; refused without checking credentials until {@code until}. */
  record Locked(Instant until) implements LoginGate {}

  /** The client address has used its budget of attempts; try again after {@code retryAfter}. */
  record Throttled(Duration retryAfter) implements LoginGate {}
}
