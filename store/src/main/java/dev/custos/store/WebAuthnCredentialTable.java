package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.identity.webauthn.CredentialId;
import dev.custos.identity.webauthn.WebAuthnCredential;
import dev.custos.identity.webauthn.WebAuthnCredentialStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * WebAuthn credentials of staff in PostgreSQL (table {@code webauthn_credential}), shared by every
 * instance. Each method is one statement, so each is atomic; the signature counter is updated by
 * compare-and-set in the {@code WHERE} clause and never goes down.
 */
public final class WebAuthnCredentialTable implements WebAuthnCredentialStore {
  private static final String COLUMNS = "credential_id, staff, user_handle, public_key_cose, signature_count, nickname, "
      + "transports, backup_eligible, backed_up, created_at, last_used_at";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM webauthn_credential ";
  private static final String OLDEST_FIRST = " ORDER BY created_at, credential_id";

  private final DataSource db;

  public WebAuthnCredentialTable(DataSource db) {
    this.db = db;
  }

  @Override
  public boolean add(WebAuthnCredential credential) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO webauthn_credential (" + COLUMNS
            + ") VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (credential_id) DO NOTHING")) {
      ps.setBytes(1, credential.credentialId().bytes());
      ps.setString(2, credential.staff().value());
      ps.setBytes(3, credential.userHandle());
      ps.setBytes(4, credential.publicKeyCose());
      ps.setLong(5, credential.signatureCount());
      ps.setString(6, credential.nickname());
      ps.setArray(7, c.createArrayOf("text", credential.transports().toArray()));
      ps.setBoolean(8, credential.backupEligible());
      ps.setBoolean(9, credential.backedUp());
      ps.setTimestamp(10, Timestamp.from(credential.createdAt()));
      ps.setTimestamp(11, credential.lastUsedAt().map(Timestamp::from).orElse(null));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("cannot store WebAuthn credential " + credential.credentialId() + " of "
          + credential.staff() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<WebAuthnCredential> forStaff(StaffId staff) {
    return query(SELECT + "WHERE staff = ?" + OLDEST_FIRST, ps -> ps.setString(1, staff.value()),
        "the WebAuthn credentials of " + staff);
  }

  @Override
  public Optional<WebAuthnCredential> find(CredentialId id) {
    return query(SELECT + "WHERE credential_id = ?", ps -> ps.setBytes(1, id.bytes()), "WebAuthn credential " + id)
        .stream().findFirst();
  }

  @Override
  public List<WebAuthnCredential> forUserHandle(byte[] userHandle) {
    return query(SELECT + "WHERE user_handle = ?" + OLDEST_FIRST, ps -> ps.setBytes(1, userHandle.clone()),
        "the WebAuthn credentials of a user handle");
  }

  @Override
  public boolean updateSignatureCount(CredentialId id, long count, Instant usedAt) {
    // 0 on 0 is an authenticator without a counter: only the time of use changes.
    return update("UPDATE webauthn_credential SET signature_count = ?, last_used_at = ? WHERE credential_id = ? "
            + "AND (signature_count < ? OR (signature_count = 0 AND ? = 0))",
        ps -> {
          ps.setLong(1, count);
          ps.setTimestamp(2, Timestamp.from(usedAt));
          ps.setBytes(3, id.bytes());
          ps.setLong(4, count);
          ps.setLong(5, count);
        }, "record a use of WebAuthn credential " + id) == 1;
  }

  @Override
  public boolean remove(StaffId staff, CredentialId id) {
    return update("DELETE FROM webauthn_credential WHERE staff = ? AND credential_id = ?",
        ps -> {
          ps.setString(1, staff.value());
          ps.setBytes(2, id.bytes());
        }, "remove WebAuthn credential " + id + " of " + staff) == 1;
  }

  @Override
  public int removeAll(StaffId staff) {
    return update("DELETE FROM webauthn_credential WHERE staff = ?", ps -> ps.setString(1, staff.value()),
        "remove the WebAuthn credentials of " + staff);
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<WebAuthnCredential> query(String sql, Binder binder, String what) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<WebAuthnCredential> found = new ArrayList<>();
        while (rs.next()) {
          found.add(credential(rs));
        }
        return found;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  private int update(String sql, Binder binder, String what) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  private static WebAuthnCredential credential(ResultSet rs) throws SQLException {
    Set<String> transports = new LinkedHashSet<>();
    for (Object transport : (Object[]) rs.getArray("transports").getArray()) {
      transports.add((String) transport);
    }
    Timestamp lastUsed = rs.getTimestamp("last_used_at");
    try {
      return new WebAuthnCredential(new StaffId(rs.getString("staff")), CredentialId.of(rs.getBytes("credential_id")),
          rs.getBytes("public_key_cose"), rs.getLong("signature_count"), rs.getBytes("user_handle"),
          rs.getString("nickname"), rs.getTimestamp("created_at").toInstant(),
          Optional.ofNullable(lastUsed).map(Timestamp::toInstant), transports, rs.getBoolean("backup_eligible"),
          rs.getBoolean("backed_up"));
    } catch (IllegalArgumentException e) {
      // The table's checks make this unreachable short of tampering; verifying against a row that
      // is not what was registered would be worse than refusing.
      throw new SQLException("WebAuthn credential row is invalid: " + e.getMessage(), e);
    }
  }
}
