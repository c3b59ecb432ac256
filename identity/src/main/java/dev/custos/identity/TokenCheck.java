package dev.custos.identity;

/**
 * The outcome of presenting a service token. Every rejection reason is for logs and metrics only:
 * callers MUST answer a client the same way for all of them except {@link Reason#MISSING_SCOPE},
 * so that a guesser learns nothing about which token ids exist.
 */
public sealed interface TokenCheck {
  /** The token is genuine, active and has the scope asked for. */
  record Accepted(ServiceToken token) implements TokenCheck {}

  /** The token was refused. */
  record Rejected(Reason reason) implements TokenCheck {}

  /** Why a token was refused. */
  enum Reason {
    /** Not of the form {@code cst_<id>_<secret>}. */
    MALFORMED,
    /** No token has that id. */
    UNKNOWN,
    /** The id exists but the secret is wrong. */
    WRONG_SECRET,
    REVOKED,
    EXPIRED,
    /** Genuine and active, but not issued for the scope asked for. */
    MISSING_SCOPE,
    /** The token store could not be read: fail closed. */
    UNAVAILABLE
  }
}
