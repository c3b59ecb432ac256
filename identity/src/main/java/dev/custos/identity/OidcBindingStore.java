package dev.custos.identity;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Optional;

/**
 * Which staff id each single sign-on identity stands for: the provider's stable pair
 * {@code (issuer, subject)} bound to one {@link StaffId} at the person's first SSO login. A later
 * login whose username claim names another staff id, or another subject claiming a bound staff id,
 * is refused: a provider administrator who renames an account must not be able to make it log in
 * as another member of staff (OpenID Connect Core §5.7: {@code preferred_username} is neither
 * unique nor stable). PostgreSQL in the {@code store} module; the contract is pinned by
 * {@code OidcBindingStoreContract} in this module's test sources.
 *
 * <p>Each pair is bound to at most one staff id and each staff id to at most one pair. Bindings are
 * never changed by a login; every method MUST be atomic across instances and MUST throw when the
 * store cannot be reached.
 */
public interface OidcBindingStore {
  /** What {@link #bind} found or did. */
  enum Binding {
    /** The pair was unbound and the staff id free: they are bound now. */
    CREATED,
    /** The pair was already bound to this staff id. */
    CONFIRMED,
    /** The pair is bound to another staff id: the provider now calls this person by another name. */
    SUBJECT_BOUND_TO_OTHER_STAFF,
    /** The staff id is bound to another pair: another person at the provider claims this name. */
    STAFF_BOUND_TO_OTHER_SUBJECT;

    /** Whether the login may go on. */
    public boolean accepted() {
      return this == CREATED || this == CONFIRMED;
    }
  }

  /**
   * Binds {@code (issuer, subject)} to {@code staff} at {@code at} if neither is bound yet, or
   * reports how they are bound. Of two concurrent first logins racing for one pair or one staff id,
   * exactly one gets {@link Binding#CREATED}.
   *
   * @throws IllegalArgumentException when {@code issuer} is not 1–2048 or {@code subject} 1–255 characters
   */
  Binding bind(String issuer, String subject, StaffId staff, Instant at);

  /** The staff id bound to {@code (issuer, subject)}, if any. */
  Optional<StaffId> find(String issuer, String subject);

  /** Checks the lengths that {@link #bind} requires; for implementations. */
  static void requireValid(String issuer, String subject) {
    if (issuer == null || issuer.isEmpty() || issuer.length() > 2048) {
      throw new IllegalArgumentException("issuer must be 1-2048 characters");
    }
    if (subject == null || subject.isEmpty() || subject.length() > 255) {
      throw new IllegalArgumentException("subject must be 1-255 characters");
    }
  }
}
