package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Optional;

/**
 * Where local staff credentials are kept (PostgreSQL in the {@code store} module, the TOTP secrets
 * encrypted at rest with a {@link SecretBox}). Accounts are created with their first password by
 * {@link StaffDirectory#create}. Implementations MUST make each method atomic and MUST throw when
 * the store cannot be reached. The contract is pinned by {@code StaffCredentialStoreContract} in
 * this module's test sources.
 */
public interface StaffCredentialStore {
  /** The credentials of {@code account}, if it is a local account (only a confirmed TOTP secret). */
  Optional<StaffCredentials> find(StaffId account);

  /**
   * Replaces the password hash of {@code account} with {@code next} if it is still {@code expected}
   * (compare-and-set, so upgrading a hash at login never overwrites a password changed meanwhile).
   *
   * @return whether the hash was replaced
   */
  boolean replacePasswordHash(StaffId account, PasswordHash expected, PasswordHash next);

  /**
   * Sets the password hash of a local account unconditionally (an administrator's reset).
   *
   * @return false when there is no such local account
   */
  boolean setPasswordHash(StaffId account, PasswordHash next);

  /**
   * Keeps {@code secret} as the account's pending (unconfirmed) TOTP secret, replacing any earlier
   * pending one; the confirmed secret, if any, stays in force until {@link #confirmTotp}.
   *
   * @return false when there is no such local account
   */
  boolean setPendingTotp(StaffId account, TotpSecret secret);

  /** The pending TOTP secret of {@code account}, if an enrolment is under way. */
  Optional<TotpSecret> pendingTotp(StaffId account);

  /**
   * Makes the pending secret the account's TOTP secret if it is still {@code pending}
   * (compare-and-set: a second enrolment started meanwhile wins), and clears the pending one.
   *
   * @return whether the secret was confirmed
   */
  boolean confirmTotp(StaffId account, TotpSecret pending);

  /**
   * Removes the account's TOTP secret, confirmed and pending.
   *
   * @return whether a confirmed secret was removed
   */
  boolean removeTotp(StaffId account);
}
