package dev.custos.identity;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Where login-attempt state is shared between Custos instances (PostgreSQL in the {@code store}
 * module), so that an attacker gains nothing by spreading guesses across instances. It holds state;
 * {@link LoginThrottle} holds the policy, as pure functions passed to the update methods. The
 * contract is pinned by {@code LoginAttemptStoreContract} in this module's test sources.
 *
 * <p>Keys are opaque strings of at most 80 characters made by {@link LoginThrottle}. An
 * implementation MAY forget an account whose lock and last attempt are older than a day and an
 * address whose bucket is full (refilled in the past): forgetting them is the same as
 * {@link AccountAttempts#NONE} and {@link AddressBucket#FULL}.
 */
public interface LoginAttemptStore {
  /** The state of {@code accountKey}; {@link AccountAttempts#NONE} when nothing is recorded. */
  AccountAttempts account(String accountKey);

  /**
   * Replaces the state of {@code accountKey} with {@code change} applied to it, and returns the
   * state before the change ({@link AccountAttempts#NONE} when nothing was recorded).
   *
   * <p>MUST be atomic across every instance sharing the store: concurrent updates of one key
   * behave as if applied one after another, none lost (in PostgreSQL:
   * {@code INSERT ... ON CONFLICT DO UPDATE ... RETURNING} to create or lock the row, apply, update,
   * in one transaction). {@code change} is pure; it MAY be applied more than once (on retry), and
   * only the result of the last application counts. MUST throw when the store cannot be reached.
   */
  AccountAttempts updateAccount(String accountKey, UnaryOperator<AccountAttempts> change);

  /** As {@link #updateAccount}, for the bucket of {@code addressKey} ({@link AddressBucket#FULL} when nothing is recorded). */
  AddressBucket updateAddress(String addressKey, UnaryOperator<AddressBucket> change);

  /**
   * Forgets what no longer matters at {@code before}: accounts whose last attempt and lockout end
   * (each, when present) are before it, and addresses whose bucket was full again before it. The
   * server's periodic purge passes now minus {@link LoginThrottle.Settings#failureMemory()}, after
   * which {@link LoginThrottle} ignores such state anyway, so forgetting it changes no decision.
   * MUST NOT remove a row that a concurrent update is changing to something newer, and MUST throw
   * when the store cannot be reached.
   *
   * @return how many accounts and addresses were forgotten, together
   */
  int purge(Instant before);
}
