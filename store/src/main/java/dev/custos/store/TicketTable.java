package dev.custos.store;

import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.access.Ticket;
import dev.custos.access.TicketId;
import dev.custos.access.TicketStatus;
import dev.custos.access.TicketStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Tickets in PostgreSQL (table {@code ticket}, V8). Each write is one statement that decides by
 * itself: an insert that does nothing when the id exists, or an update guarded by the previous
 * version, an earlier time and a status other than closed, so two instances never lose an event
 * or go back in time.
 */
public final class TicketTable implements TicketStore {
  private static final String COLUMNS = "id, requester, assignee, status, channel, category, created_by_staff, updated_at, "
      + "version";

  private final DataSource db;

  public TicketTable(DataSource db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public Optional<Ticket> find(TicketId id) {
    return Sql.statement(db, "read ticket " + id, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ticket WHERE id = ?")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(ticket(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean upsertIfNewer(Ticket t) {
    if (t.version() == 1) {
      return Sql.update(db, "store ticket " + t.id(), "INSERT INTO ticket (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          + "ON CONFLICT (id) DO NOTHING", ps -> {
            ps.setString(1, t.id().value());
            bind(ps, 2, t);
            ps.setLong(9, 1);
          }) == 1;
    }
    return Sql.update(db, "update ticket " + t.id(), "UPDATE ticket SET requester = ?, assignee = ?, status = ?, channel = ?, "
        + "category = ?, created_by_staff = ?, updated_at = ?, version = ? "
        + "WHERE id = ? AND version = ? AND updated_at < ? AND status <> 'closed'", ps -> {
          bind(ps, 1, t);
          ps.setLong(8, t.version());
          ps.setString(9, t.id().value());
          ps.setLong(10, t.version() - 1);
          Sql.setInstant(ps, 11, t.updatedAt());
        }) == 1;
  }

  /** Binds requester .. updated_at from {@code first} on (seven parameters). */
  private static void bind(PreparedStatement ps, int first, Ticket t) throws SQLException {
    ps.setString(first, t.requester().value());
    ps.setString(first + 1, t.assignee().map(StaffId::value).orElse(null));
    ps.setString(first + 2, t.status().wireName());
    ps.setString(first + 3, t.channel());
    ps.setString(first + 4, t.category());
    ps.setBoolean(first + 5, t.createdByStaff());
    Sql.setInstant(ps, first + 6, t.updatedAt());
  }

  @Override
  public List<Ticket> openTicketsAssignedTo(StaffId staff) {
    return Sql.statement(db, "list open tickets of " + staff, c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ticket WHERE assignee = ? "
          + "AND status NOT IN ('solved', 'closed') ORDER BY updated_at DESC, id")) {
        ps.setString(1, staff.value());
        try (ResultSet rs = ps.executeQuery()) {
          List<Ticket> out = new ArrayList<>();
          while (rs.next()) {
            out.add(ticket(rs));
          }
          return out;
        }
      }
    });
  }

  private static Ticket ticket(ResultSet rs) throws SQLException {
    String assignee = rs.getString("assignee");
    return new Ticket(new TicketId(rs.getString("id")), new CustomerId(rs.getString("requester")),
        Optional.ofNullable(assignee).map(StaffId::new), TicketStatus.parse(rs.getString("status")), rs.getString("channel"),
        rs.getString("category"), rs.getBoolean("created_by_staff"), Sql.requiredInstant(rs, "updated_at"),
        rs.getLong("version"));
  }
}
