package dev.custos.identity;

import dev.custos.access.StaffId;
import java.util.Objects;
import java.util.Optional;

/**
 * What Custos holds to authenticate one local staff account: the password hash and, once enrolled,
 * the TOTP secret. Not a record: {@link #toString()} says what is enrolled, never the material.
 */
public final class StaffCredentials {
  private final StaffId account;
  private final PasswordHash passwordHash;
  private final Optional<TotpSecret> totpSecret;

  public StaffCredentials(StaffId account, PasswordHash passwordHash, Optional<TotpSecret> totpSecret) {
    this.account = Objects.requireNonNull(account, "account");
    this.passwordHash = Objects.requireNonNull(passwordHash, "passwordHash");
    this.totpSecret = Objects.requireNonNull(totpSecret, "totpSecret");
  }

  public StaffId account() {
    return account;
  }

  public PasswordHash passwordHash() {
    return passwordHash;
  }

  /** The enrolled authenticator's secret, if one is enrolled. */
  public Optional<TotpSecret> totpSecret() {
    return totpSecret;
  }

  @Override
  public String toString() {
    return "StaffCredentials[" + account + ", " + passwordHash + ", totp=" + (totpSecret.isPresent() ? "enrolled" : "none") + "]";
  }
}
