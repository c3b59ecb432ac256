package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions are kept (PostgreSQL in the {@code store} module), keyed by
 * {@link SessionSecret#storageKey()}. Every instance reads the session from here on every request,
 * so a revocation (logout, suspension) committed on one instance refuses the session on every
 * instance from the next request on. The contract is pinned by {@code SessionStoreContract} in
 * this module's test sources. Every method MUST be atomic and MUST throw when the store cannot be
 * reached.
 */
public interface SessionStore {
  /** Adds a session under {@code key}. */
  void insert(String key, Session session);

  /** The session under {@code key}, revoked or not. */
  Optional<Session> find(String key);

  /**
   * Replaces the live session under {@code oldKey} with {@code next} under {@code newKey}: the old one
   * is revoked with reason {@code "rotated"} and the new one inserted, atomically, and only if the old
   * one is still live (not revoked). This is how a login completes and a step-up renews the id.
   *
   * @return false (and nothing written) when the old session is missing or revoked
   */
  boolean rotate(String oldKey, String newKey, Session next, Instant at);

  /** Records activity on a live session. @return false when it is missing or revoked */
  boolean touch(String key, Instant lastSeenAt);

  /** Replaces the pending next-step state of a live session. @return false when it is missing or revoked */
  boolean setPending(String key, String pending);

  /** Revokes the session under {@code key} if live. @return whether it was live */
  boolean revoke(String key, String reason, Instant at);

  /** Revokes the live session of {@code staff} named {@code handle}. @return whether one was revoked */
  boolean revoke(StaffId staff, SessionHandle handle, String reason, Instant at);

  /** Revokes every live session of {@code staff}. @return how many */
  int revokeAll(StaffId staff, String reason, Instant at);

  /** The sessions of {@code staff} that are neither revoked nor past {@code expiresAt} at {@code now}, newest first. */
  List<Session> live(StaffId staff, Instant now);

  /** Deletes sessions that expired or were revoked before {@code before}. @return how many */
  int purge(Instant before);
}
