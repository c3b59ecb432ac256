package dev.custos.identity;

/** Whether a request's session cookie names a usable session ({@link Sessions#check}). */
public sealed interface SessionCheck {
  /** The session is live; {@code secret} is the one presented. */
  record Valid(Session session, SessionSecret secret) implements SessionCheck {}

  /** Not usable; the reason is for logs and metrics, the client is told only that it must log in. */
  record Refused(Reason reason) implements SessionCheck {}

  /** The session store cannot be read: fail closed. */
  record Unavailable() implements SessionCheck {}

  enum Reason {
    /** No cookie, or not of the form Custos issues. */
    MISSING,
    /** No such session (never issued, or purged). */
    UNKNOWN,
    /** Revoked: logout, revoked from a list, suspended, or replaced by a newer id. */
    REVOKED,
    /** Unused for longer than the idle timeout. */
    IDLE,
    /** Past its absolute end. */
    EXPIRED,
    /** A pending login where a complete one is needed, or the reverse. */
    WRONG_STATE
  }
}
