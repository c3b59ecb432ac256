package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import dev.custos.identity.Session;
import dev.custos.identity.SessionHandle;
import dev.custos.identity.SessionSecret;
import dev.custos.identity.SessionState;
import dev.custos.identity.SessionStore;
import dev.custos.identity.SessionStoreContract;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SessionTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class SessionTableTest extends SessionStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private final SecureRandom random = new SecureRandom();

  @Override
  protected SessionStore instance() {
    return new SessionTable(db.dataSource());
  }

  private Session session(StaffId staff) {
    return new Session(SessionHandle.random(random), staff, SessionState.ACTIVE, "password+totp", T, T,
        T.plusSeconds(3600), Optional.of(T), "192.0.2.10", "Firefox", "", Optional.empty(), Optional.empty());
  }

  @Test
  void table_holdsTheHashOfTheSessionSecret_neverTheSecret() throws Exception {
    SessionSecret secret = SessionSecret.random(random);
    Session s = session(new StaffId("agent-17"));
    instance().insert(secret.storageKey(), s);

    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT staff_session::text FROM staff_session WHERE handle = ?")) {
      ps.setString(1, s.handle().value());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).contains(secret.storageKey()).doesNotContain(secret.reveal());
      }
    }
  }

  @Test
  void keyThatIsNotAStorageKey_isRefusedByTheSchema() {
    assertThatThrownBy(() -> instance().insert("a cookie value, not a hash", session(new StaffId("agent-17"))))
        .isInstanceOf(StoreException.class).hasMessageContaining("staff_session_key_check");
  }

  @Test
  void unreachableDatabase_throws_forEveryMethod() {
    SessionStore down = new SessionTable(TestDatabases.unreachable());
    String key = SessionSecret.random(random).storageKey();
    StaffId staff = new StaffId("agent-17");
    Session s = session(staff);
    List<ThrowingCallable> calls = List.of(
        () -> down.insert(key, s),
        () -> down.find(key),
        () -> down.rotate(key, key, s, T),
        () -> down.touch(key, T),
        () -> down.setPending(key, ""),
        () -> down.revoke(key, "logout", T),
        () -> down.revoke(staff, s.handle(), "revoked", T),
        () -> down.revokeAll(staff, "revoked", T),
        () -> down.live(staff, T),
        () -> down.purge(T));

    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
    }
  }
}
