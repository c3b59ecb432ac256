package dev.custos.identity;

/** A second factor that completed a staff login or step-up. */
public enum Factor {
  /** A code from an authenticator app (RFC 6238). */
  TOTP,
  /** One of the account's single-use recovery codes. */
  RECOVERY_CODE,
  /** A WebAuthn authenticator (security key or platform authenticator) with user verification. */
  WEBAUTHN;

  /** The name in the API and the ledger. */
  public String wireName() {
    return switch (this) {
      case TOTP -> "totp";
      case RECOVERY_CODE -> "recovery-code";
      case WEBAUTHN -> "webauthn";
    };
  }
}
