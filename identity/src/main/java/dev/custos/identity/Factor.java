package dev.custos.identity;

/** A second factor that completed a staff login. WebAuthn joins when it is implemented. */
public enum Factor {
  /** A code from an authenticator app (RFC 6238). */
  TOTP,
  /** One of the account's single-use recovery codes. */
  RECOVERY_CODE
}
