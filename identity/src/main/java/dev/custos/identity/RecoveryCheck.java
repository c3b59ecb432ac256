package dev.custos.identity;

/**
 * The outcome of presenting a recovery code. Reasons are for logs and detection; callers MUST NOT
 * tell the person at the keyboard more than "the code was not accepted".
 */
public sealed interface RecoveryCheck {
  /** The code was valid and is now used up; {@code remaining} unused codes are left (prompt for new ones when low). */
  record Accepted(int remaining) implements RecoveryCheck {}

  /** The code was refused. */
  record Rejected(Reason reason) implements RecoveryCheck {}

  /** Why a code was refused. */
  enum Reason {
    /** Not 16 characters of the recovery alphabet once dashes and spaces are removed. */
    MALFORMED,
    /** Not one of the account's unused codes (never issued, already used, or replaced by a newer set). */
    WRONG_CODE,
    /** The store could not be reached: fail closed. */
    UNAVAILABLE
  }
}
