package dev.custos.store;

import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.identity.ServiceTokenStore;
import dev.custos.identity.StoredToken;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Service tokens in PostgreSQL (table {@code service_token}), shared by every instance. */
public final class ServiceTokenTable implements ServiceTokenStore {
  private static final String COLUMNS =
      "id, name, scopes, secret_sha256, created_at, expires_at, revoked_at, last_used_at";
  private final DataSource db;

  public ServiceTokenTable(DataSource db) {
    this.db = db;
  }

  @Override
  public void insert(StoredToken stored) {
    ServiceToken t = stored.token();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO service_token (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)")) {
      ps.setString(1, t.id());
      ps.setString(2, t.name());
      ps.setArray(3, c.createArrayOf("text", t.scopes().stream().map(Scope::wireName).sorted().toArray()));
      ps.setBytes(4, stored.secretHash());
      ps.setTimestamp(5, Timestamp.from(t.createdAt()));
      ps.setTimestamp(6, t.expiresAt().map(Timestamp::from).orElse(null));
      ps.setTimestamp(7, t.revokedAt().map(Timestamp::from).orElse(null));
      ps.setTimestamp(8, t.lastUsedAt().map(Timestamp::from).orElse(null));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot store service token " + t.id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<StoredToken> find(String id) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM service_token WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new StoredToken(token(rs), rs.getBytes("secret_sha256"))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read service token " + id + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<ServiceToken> list() {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM service_token ORDER BY created_at DESC, id");
        ResultSet rs = ps.executeQuery()) {
      List<ServiceToken> all = new ArrayList<>();
      while (rs.next()) {
        try {
          all.add(token(rs));
        } catch (SQLException e) {
          // A token of a newer version's scopes grants nothing here; the others still list.
          continue;
        }
      }
      return all;
    } catch (SQLException e) {
      throw new StoreException("cannot list service tokens: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean revoke(String id, Instant at) {
    return update("UPDATE service_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", at, id, null) == 1;
  }

  @Override
  public void recordUse(String id, Instant at, Instant notBefore) {
    update("UPDATE service_token SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)",
        at, id, notBefore);
  }

  private int update(String sql, Instant at, String id, Instant notBefore) {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setString(2, id);
      if (notBefore != null) {
        ps.setTimestamp(3, Timestamp.from(notBefore));
      }
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("cannot update service token " + id + ": " + e.getMessage(), e);
    }
  }

  private static ServiceToken token(ResultSet rs) throws SQLException {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    Array array = rs.getArray("scopes");
    for (Object name : (Object[]) array.getArray()) {
      // A scope this version does not know (written by a newer one) grants nothing here.
      Scope.parse((String) name).ifPresent(scopes::add);
    }
    if (scopes.isEmpty()) {
      throw new SQLException("service token " + rs.getString("id") + " has no scope this version knows");
    }
    return new ServiceToken(rs.getString("id"), rs.getString("name"), scopes, rs.getTimestamp("created_at").toInstant(),
        instant(rs, "expires_at"), instant(rs, "revoked_at"), instant(rs, "last_used_at"));
  }

  private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return Optional.ofNullable(t).map(Timestamp::toInstant);
  }
}
