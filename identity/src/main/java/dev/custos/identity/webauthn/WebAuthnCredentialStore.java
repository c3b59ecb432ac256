package dev.custos.identity.webauthn;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where registered WebAuthn credentials are kept (PostgreSQL in the {@code store} module, so every
 * instance sees a registration, a removal and the latest signature counter at once). The contract
 * is pinned by {@code WebAuthnCredentialStoreContract} in this module's test sources.
 *
 * <p>Implementations MUST make each method atomic and MUST throw (not return an empty answer) when
 * the store cannot be reached, so that {@link WebAuthn} can tell an outage from an unknown
 * credential and refuse with {@code UNAVAILABLE}.
 */
public interface WebAuthnCredentialStore {
  /**
   * Stores a newly registered credential.
   *
   * <p>Credential ids are unique across all staff: of any number of concurrent calls with the same
   * id, on any instance, exactly one MUST return true.
   *
   * @return true when stored; false when a credential with the same id already exists (for anyone)
   */
  boolean add(WebAuthnCredential credential);

  /** The credentials of {@code staff}, oldest first (by creation time, then id); empty when none. */
  List<WebAuthnCredential> forStaff(StaffId staff);

  /** The credential with {@code id}, whoever holds it. */
  Optional<WebAuthnCredential> find(CredentialId id);

  /** The credentials created for {@code userHandle}, oldest first; empty when none. */
  List<WebAuthnCredential> forUserHandle(byte[] userHandle);

  /**
   * Records an accepted assertion: sets the signature counter to {@code count} and the last use to
   * {@code usedAt}, if and only if {@code count} is higher than the stored counter, or both are 0
   * (an authenticator without a counter; then only the last use changes).
   *
   * <p>This is a compare-and-set: the stored counter MUST never decrease, even when assertions race
   * on several instances; of concurrent calls with the same count at most one returns true, and
   * afterwards the stored counter is the highest count of any call that returned true.
   *
   * @return true when recorded; false when the credential does not exist or its stored counter is
   *     already {@code count} or higher (a regression the caller refuses)
   */
  boolean updateSignatureCount(CredentialId id, long count, Instant usedAt);

  /**
   * Removes one credential of {@code staff}.
   *
   * @return true when removed; false when there is no such credential or it belongs to someone else
   */
  boolean remove(StaffId staff, CredentialId id);

  /**
   * Removes every credential of {@code staff} (offboarding, a lost-device reset), atomically.
   *
   * @return how many were removed
   */
  int removeAll(StaffId staff);
}
