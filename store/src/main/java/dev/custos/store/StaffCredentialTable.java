package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.identity.Parsed;
import dev.custos.identity.PasswordHash;
import dev.custos.identity.SecretBox;
import dev.custos.identity.StaffCredentialStore;
import dev.custos.identity.StaffCredentials;
import dev.custos.identity.TotpSecret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Local staff credentials in PostgreSQL (table {@code staff_credential}): the password hash as its
 * PHC string, the TOTP secrets sealed with a {@link SecretBox}.
 *
 * <h2>Security guarantees</h2>
 * <ul>
 *   <li>No TOTP secret is stored in the clear. Each is sealed with associated data
 *       {@code custos.totp/v1|<staff id>|active} or {@code ...|pending}, so a ciphertext copied to
 *       another account's row, or from the pending column to the active one, does not open.</li>
 *   <li>A secret that does not open (altered row, moved ciphertext, wrong key) and a password hash
 *       that does not parse throw {@link StoreException}: never a wrong secret, and never "no TOTP
 *       enrolled", which would turn a damaged row into an account without a second factor.</li>
 *   <li>Nothing secret reaches an exception message (see {@link Database} for the driver's part).</li>
 * </ul>
 */
public final class StaffCredentialTable implements StaffCredentialStore {
  private static final String ACTIVE = "active";
  private static final String PENDING = "pending";

  private final DataSource db;
  private final SecretBox box;

  public StaffCredentialTable(DataSource db, SecretBox box) {
    this.db = Objects.requireNonNull(db, "db");
    this.box = Objects.requireNonNull(box, "box");
  }

  @Override
  public Optional<StaffCredentials> find(StaffId account) {
    return Sql.statement(db, "read the credentials of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT password_hash, totp_secret FROM staff_credential WHERE staff = ?")) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new StaffCredentials(account, passwordHash(account, rs.getString("password_hash")),
              open(account, ACTIVE, rs.getBytes("totp_secret"))));
        }
      }
    });
  }

  @Override
  public boolean replacePasswordHash(StaffId account, PasswordHash expected, PasswordHash next) {
    return Sql.update(db, "replace the password hash of " + account,
        "UPDATE staff_credential SET password_hash = ? WHERE staff = ? AND password_hash = ?", ps -> {
          ps.setString(1, next.encoded());
          ps.setString(2, account.value());
          ps.setString(3, expected.encoded());
        }) == 1;
  }

  @Override
  public boolean setPasswordHash(StaffId account, PasswordHash next) {
    return Sql.update(db, "set the password hash of " + account,
        "UPDATE staff_credential SET password_hash = ? WHERE staff = ?", ps -> {
          ps.setString(1, next.encoded());
          ps.setString(2, account.value());
        }) == 1;
  }

  @Override
  public boolean setPendingTotp(StaffId account, TotpSecret secret) {
    byte[] sealed = seal(account, PENDING, secret);
    return Sql.update(db, "start a TOTP enrolment of " + account,
        "UPDATE staff_credential SET totp_pending = ? WHERE staff = ?", ps -> {
          ps.setBytes(1, sealed);
          ps.setString(2, account.value());
        }) == 1;
  }

  @Override
  public Optional<TotpSecret> pendingTotp(StaffId account) {
    return Sql.statement(db, "read the pending TOTP secret of " + account, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT totp_pending FROM staff_credential WHERE staff = ?")) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? open(account, PENDING, rs.getBytes("totp_pending")) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean confirmTotp(StaffId account, TotpSecret pending) {
    return Sql.transaction(db, "confirm the TOTP enrolment of " + account, c -> {
      // The row lock orders this against a concurrent enrolment: it waits for us, or we see its secret.
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT totp_pending FROM staff_credential WHERE staff = ? FOR UPDATE")) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !open(account, PENDING, rs.getBytes("totp_pending")).equals(Optional.of(pending))) {
            return false;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE staff_credential SET totp_secret = ?, totp_pending = NULL WHERE staff = ?")) {
        ps.setBytes(1, seal(account, ACTIVE, pending));
        ps.setString(2, account.value());
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public boolean removeTotp(StaffId account) {
    return Sql.transaction(db, "remove the TOTP secret of " + account, c -> {
      boolean hadOne;
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT totp_secret IS NOT NULL FROM staff_credential WHERE staff = ? FOR UPDATE")) {
        ps.setString(1, account.value());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return false;
          }
          hadOne = rs.getBoolean(1);
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE staff_credential SET totp_secret = NULL, totp_pending = NULL WHERE staff = ?")) {
        ps.setString(1, account.value());
        ps.executeUpdate();
      }
      return hadOne;
    });
  }

  private byte[] seal(StaffId account, String column, TotpSecret secret) {
    byte[] plain = secret.revealBytes();
    try {
      return box.seal(plain, associatedData(account, column));
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private Optional<TotpSecret> open(StaffId account, String column, byte[] sealed) {
    if (sealed == null) {
      return Optional.empty();
    }
    byte[] plain = null;
    try {
      plain = box.open(sealed, associatedData(account, column));
      return Optional.of(TotpSecret.ofBytes(plain));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // The cause says only that authentication failed; it holds no key material.
      throw new StoreException("the " + column + " TOTP secret of " + account
          + " does not open: the row was altered or moved, or the key is not the one it was sealed with", e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /** Binds a ciphertext to its account and column; staff ids cannot contain {@code |}. */
  private static byte[] associatedData(StaffId account, String column) {
    return ("custos.totp/v1|" + account.value() + "|" + column).getBytes(StandardCharsets.US_ASCII);
  }

  private static PasswordHash passwordHash(StaffId account, String encoded) {
    return switch (PasswordHash.parse(encoded)) {
      case Parsed.Valid<PasswordHash> v -> v.value();
      // The problem names the rule broken, never the text (the PHC string stays out of messages).
      case Parsed.Invalid<PasswordHash> i -> throw new StoreException(
          "the stored password hash of " + account + " is not valid: " + i.problem(), null);
    };
  }
}
