package dev.custos.store;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.PasswordHash;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffDirectory;
import dev.custos.identity.StaffStatus;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Staff accounts in PostgreSQL (table {@code staff}, and the first password in
 * {@code staff_credential}), shared by every instance.
 *
 * <p>A suspension is one transaction: the account's row is updated (and so locked) first, then every
 * live session of the person is revoked. A concurrent suspension waits on that row lock and then
 * finds the sessions already revoked, so each session is counted once; any reader sees either the
 * account active with its sessions, or suspended without a live one.
 */
public final class StaffTable implements StaffDirectory, dev.custos.identity.PersonLinks {
  private static final String COLUMNS = "id, display_name, roles, team, origin, status, status_reason, created_at, shift";

  private final DataSource db;

  public StaffTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public boolean create(StaffAccount account, Optional<PasswordHash> password) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(password, "password");
    if ((account.origin() == StaffAccount.Origin.LOCAL) != password.isPresent()) {
      throw new IllegalArgumentException(account.origin() == StaffAccount.Origin.LOCAL
          ? "a local account is created with its first password" : "an OIDC account has no password at Custos");
    }
    return Sql.transaction(db, "create staff account " + account.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff (" + COLUMNS + ", status_changed_at) "
          + "VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING")) {
        ps.setString(1, account.id().value());
        ps.setString(2, account.displayName());
        ps.setArray(3, c.createArrayOf("text", account.roles().stream().map(Role::wireName).sorted().toArray()));
        ps.setString(4, account.team().orElse(null));
        ps.setString(5, lower(account.origin()));
        ps.setString(6, lower(account.status()));
        ps.setString(7, account.statusReason().orElse(null));
        Sql.setInstant(ps, 8, account.createdAt());
        ps.setString(9, account.shift().map(Object::toString).orElse(null));
        Sql.setInstant(ps, 10, account.statusReason().map(r -> account.createdAt()));
        if (ps.executeUpdate() == 0) {
          return false;
        }
      }
      if (password.isPresent()) {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO staff_credential (staff, password_hash) VALUES (?, ?)")) {
          ps.setString(1, account.id().value());
          ps.setString(2, password.get().encoded());
          ps.executeUpdate();
        }
      }
      return true;
    });
  }

  @Override
  public Optional<StaffAccount> find(StaffId id) {
    return Sql.statement(db, "read staff account " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM staff WHERE id = ?")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(account(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<StaffAccount> list() {
    return Sql.statement(db, "list staff accounts", c -> {
      // "C" collation: code-point order, as Java sorts ids, whatever the database's locale.
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM staff ORDER BY id COLLATE \"C\"");
          ResultSet rs = ps.executeQuery()) {
        List<StaffAccount> all = new ArrayList<>();
        while (rs.next()) {
          all.add(account(rs));
        }
        return all;
      }
    });
  }

  @Override
  public Optional<Integer> suspend(StaffId id, String reason, Instant at) {
    String why = StaffAccount.requireText(reason, "reason", 500);
    return Sql.transaction(db, "suspend staff account " + id, c -> {
      // A second suspension keeps the first reason and time but still revokes (a session opened by a race).
      try (PreparedStatement ps = c.prepareStatement("UPDATE staff SET status = 'suspended', "
          + "status_reason = CASE WHEN status = 'suspended' THEN status_reason ELSE ? END, "
          + "status_changed_at = CASE WHEN status = 'suspended' THEN status_changed_at ELSE ? END "
          + "WHERE id = ?")) {
        ps.setString(1, why);
        Sql.setInstant(ps, 2, at);
        ps.setString(3, id.value());
        if (ps.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      return Optional.of(SessionTable.revokeAll(c, id, "suspended", at));
    });
  }

  @Override
  public boolean restore(StaffId id, String reason, Instant at) {
    String why = StaffAccount.requireText(reason, "reason", 500);
    return Sql.update(db, "restore staff account " + id, "UPDATE staff SET status = 'active', status_reason = ?, "
        + "status_changed_at = ? WHERE id = ? AND status = 'suspended'", ps -> {
          ps.setString(1, why);
          Sql.setInstant(ps, 2, at);
          ps.setString(3, id.value());
        }) == 1;
  }

  @Override
  public boolean setShift(StaffId id, Optional<dev.custos.access.Shift> shift) {
    Objects.requireNonNull(shift, "shift");
    return Sql.update(db, "set the shift of staff account " + id, "UPDATE staff SET shift = ? WHERE id = ?", ps -> {
      ps.setString(1, shift.map(Object::toString).orElse(null));
      ps.setString(2, id.value());
    }) == 1;
  }

  @Override
  public boolean setRoles(StaffId id, Set<Role> roles) {
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("a staff account needs at least one role");
    }
    return Sql.statement(db, "set the roles of staff account " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("UPDATE staff SET roles = ? WHERE id = ?")) {
        ps.setArray(1, c.createArrayOf("text", roles.stream().map(Role::wireName).sorted().toArray()));
        ps.setString(2, id.value());
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<String> person(StaffId id) {
    return Sql.statement(db, "read the person of staff account " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT person FROM staff WHERE id = ?")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public boolean link(StaffId id, Optional<String> person) {
    person.ifPresent(dev.custos.identity.PersonLinks::requirePerson);
    return Sql.update(db, "link staff account " + id + " to a person", "UPDATE staff SET person = ? WHERE id = ?", ps -> {
      ps.setString(1, person.orElse(null));
      ps.setString(2, id.value());
    }) == 1;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static StaffAccount account(ResultSet rs) throws SQLException {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    Array array = rs.getArray("roles");
    for (Object name : (Object[]) array.getArray()) {
      roles.add(Role.parse((String) name));
    }
    return new StaffAccount(new StaffId(rs.getString("id")), rs.getString("display_name"), roles,
        Optional.ofNullable(rs.getString("team")),
        StaffAccount.Origin.valueOf(rs.getString("origin").toUpperCase(Locale.ROOT)),
        StaffStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        Optional.ofNullable(rs.getString("status_reason")), Sql.requiredInstant(rs, "created_at"),
        Optional.ofNullable(rs.getString("shift")).map(dev.custos.access.Shift::parse));
  }
}
