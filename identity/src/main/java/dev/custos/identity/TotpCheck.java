package dev.custos.identity;

/**
 * The outcome of presenting a TOTP code. The rejection reasons are for logs, metrics and
 * detection (a run of {@link Reason#REPLAYED} suggests a shoulder-surfer or a phishing relay);
 * callers MUST NOT tell the person at the keyboard more than "the code was not accepted".
 */
public sealed interface TotpCheck {
  /** The code was right and had not been used; {@code step} is now used up. */
  record Accepted(long step) implements TotpCheck {}

  /** The code was refused. */
  record Rejected(Reason reason) implements TotpCheck {}

  /** Why a code was refused. */
  enum Reason {
    /** Not exactly the configured number of ASCII digits. */
    MALFORMED,
    /** Not the code of the current step or of the one before or after. */
    WRONG_CODE,
    /** The code is right but its step, or a later one, was already used by this account. */
    REPLAYED,
    /** The replay store could not be reached: fail closed. */
    UNAVAILABLE
  }
}
