package dev.custos.store;

import dev.custos.access.StaffId;
import dev.custos.identity.OidcBindingStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Single sign-on bindings in PostgreSQL (table {@code oidc_binding}): the provider's
 * {@code (issuer, subject)} to a staff id, one to one. A bind is one insert that does nothing on a
 * conflict with either unique key, then one read of the pair, in one transaction: of racing first
 * logins, the unique indexes let exactly one insert win, and each loser reads why.
 */
public final class OidcBindingTable implements OidcBindingStore {
  private final DataSource db;

  public OidcBindingTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Binding bind(String issuer, String subject, StaffId staff, Instant at) {
    OidcBindingStore.requireValid(issuer, subject);
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(at, "at");
    return Sql.transaction(db, "bind an SSO identity to " + staff, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO oidc_binding (issuer, subject, staff, bound_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
        ps.setString(1, issuer);
        ps.setString(2, subject);
        ps.setString(3, staff.value());
        Sql.setInstant(ps, 4, at);
        if (ps.executeUpdate() == 1) {
          return Binding.CREATED;
        }
      }
      Optional<StaffId> bound = find(c, issuer, subject);
      if (bound.isEmpty()) {
        return Binding.STAFF_BOUND_TO_OTHER_SUBJECT;
      }
      return bound.get().equals(staff) ? Binding.CONFIRMED : Binding.SUBJECT_BOUND_TO_OTHER_STAFF;
    });
  }

  @Override
  public Optional<StaffId> find(String issuer, String subject) {
    return Sql.statement(db, "read an SSO binding", c -> find(c, issuer, subject));
  }

  private static Optional<StaffId> find(java.sql.Connection c, String issuer, String subject) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT staff FROM oidc_binding WHERE issuer = ? AND subject = ?")) {
      ps.setString(1, issuer);
      ps.setString(2, subject);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new StaffId(rs.getString("staff"))) : Optional.empty();
      }
    }
  }
}
