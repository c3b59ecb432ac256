package dev.custos.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where service tokens are kept (PostgreSQL in the {@code store} module, so every instance sees
 * a revocation at once). Implementations MUST make each method atomic.
 */
public interface ServiceTokenStore {
  /** Stores a new token; its id MUST NOT exist yet. */
  void insert(StoredToken token);

  /** The token with {@code id}, revoked or not. */
  Optional<StoredToken> find(String id);

  /** Every token, newest first. */
  List<ServiceToken> list();

  /**
   * Marks the token revoked at {@code at}.
   *
   * @return false when there is no such token or it was already revoked
   */
  boolean revoke(String id, Instant at);

  /** Records a use at {@code at} unless one after {@code notBefore} is already recorded (bounded write load). */
  void recordUse(String id, Instant at, Instant notBefore);
}
