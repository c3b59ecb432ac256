package dev.custos.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * The login-attempt budget of one client address, as {@link LoginThrottle} keeps it in a
 * {@link LoginAttemptStore}: a token bucket stored as the single instant at which it will be full
 * again (the "theoretical arrival time" of the generic cell rate algorithm). One instant is all a
 * shared store has to keep, and it needs no refill job.
 *
 * @param refilledAt when the bucket is full again; any instant not after now means it is full
 */
public record AddressBucket(Instant refilledAt) {
  /** A full bucket: what the store returns for an address it has never seen. */
  public static final AddressBucket FULL = new AddressBucket(Instant.EPOCH);

  public AddressBucket {
    Objects.requireNonNull(refilledAt, "refilledAt");
  }
}
