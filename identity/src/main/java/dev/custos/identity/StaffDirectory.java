package dev.custos.identity;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where staff accounts are kept (PostgreSQL in the {@code store} module, shared by every Custos
 * instance). The contract is pinned by {@code StaffDirectoryContract} in this module's test sources.
 * Every method MUST be atomic and MUST throw when the store cannot be reached.
 */
public interface StaffDirectory {
  /**
   * Adds {@code account} and, for a local account, its first password hash, in one transaction.
   *
   * @return false (and nothing written) when an account with that id exists
   * @throws IllegalArgumentException (and nothing written) when a local account comes without a
   *     password or an OIDC account with one
   */
  boolean create(StaffAccount account, Optional<PasswordHash> password);

  Optional<StaffAccount> find(StaffId id);

  /** Every account, ordered by id. */
  List<StaffAccount> list();

  /**
   * Contains {@code id}: sets the status to {@link StaffStatus#SUSPENDED} with {@code reason} and
   * revokes every live session of that person (reason {@code "suspended"}), in ONE transaction, so
   * no instance can see the account suspended while one of its sessions is still live, nor the
   * reverse. Suspending a suspended account revokes again (a session opened by a race is caught) and
   * keeps the first reason.
   *
   * @return the number of sessions revoked, or empty when there is no such account
   */
  Optional<Integer> suspend(StaffId id, String reason, Instant at);

  /**
   * Sets the status of a suspended account back to {@link StaffStatus#ACTIVE} with {@code reason}.
   * Revoked sessions stay revoked.
   *
   * @return false when there is no such account or it is not suspended
   */
  boolean restore(StaffId id, String reason, Instant at);

  /**
   * Replaces the roles of {@code id} with {@code roles} (at least one). Single sign-on calls it at
   * every login, so that roles follow the person's groups at the provider; the status is untouched.
   *
   * @return false when there is no such account
   * @throws IllegalArgumentException (and nothing written) when {@code roles} is empty
   */
  boolean setRoles(StaffId id, Set<Role> roles);

  /**
   * Sets (or, with empty, clears) the shift of {@code id}.
   *
   * @return false when there is no such account
   */
  boolean setShift(StaffId id, Optional<dev.custos.access.Shift> shift);
}
