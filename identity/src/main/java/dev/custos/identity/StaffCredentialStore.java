package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Optional;

/**
 * Where local staff credentials are kept (PostgreSQL in the {@code store} module, the TOTP secret
 * encrypted at rest). Implementations MUST make each method atomic and MUST throw when the store
 * cannot be reached.
 */
public interface StaffCredentialStore {
  /** The credentials of {@code account}, if it is a local account. */
  Optional<StaffCredentials> find(StaffId account);

  /**
   * Replaces the password hash of {@code account} with {@code next} if it is still {@code expected}
   * (compare-and-set, so upgrading a hash at login never overwrites a password changed meanwhile).
   *
   * @return whether the hash was replaced
   */
  boolean replacePasswordHash(StaffId account, PasswordHash expected, PasswordHash next);
}
