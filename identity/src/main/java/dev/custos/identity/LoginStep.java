package dev.custos.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/** The answer to one step of a staff login or step-up through {@link StaffLogins}. */
public sealed interface LoginStep {
  /** The password was right: the pending session (its cookie) now awaits one of {@code factors}. */
  record SecondFactorNeeded(Sessions.Opened pending, Set<Factor> factors) implements LoginStep {}

  /** Logged in (or stepped up): {@code session} replaces whatever cookie the client had. */
  record Complete(Sessions.Opened session, StaffAccount account, Factor factor) implements LoginStep {}

  /**
   * Refused. Every refusal of credentials gives the client the same answer; {@code reason} is for the
   * ledger, logs and metrics.
   */
  record Refused(String reason) implements LoginStep {}

  /** The account is suspended (told only after a correct password, so it reveals nothing to a guesser). */
  record Suspended() implements LoginStep {}

  record Locked(Instant until) implements LoginStep {}

  record Throttled(Duration retryAfter) implements LoginStep {}

  /** A store or the ledger could not be reached: fail closed. */
  record Unavailable() implements LoginStep {}
}
