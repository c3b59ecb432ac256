package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Parsed;
import dev.custos.identity.PasswordHash;
import dev.custos.identity.Session;
import dev.custos.identity.SessionHandle;
import dev.custos.identity.SessionSecret;
import dev.custos.identity.SessionState;
import dev.custos.identity.SessionStore;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffDirectory;
import dev.custos.identity.StaffDirectoryContract;
import dev.custos.identity.StaffStatus;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link StaffTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class StaffTableTest extends StaffDirectoryContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");
  private static final PasswordHash PASSWORD = ((Parsed.Valid<PasswordHash>) PasswordHash.parse(
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).value();
  private final SecureRandom random = new SecureRandom();

  @Override
  protected StaffDirectory instance() {
    return new StaffTable(db.dataSource());
  }

  @Override
  protected SessionStore sessions() {
    return new SessionTable(db.dataSource());
  }

  private static StaffId fresh() {
    return new StaffId("table-" + UUID.randomUUID());
  }

  private static StaffAccount local(StaffId id) {
    return StaffAccount.create(id, "Ada", Set.of(Role.SUPPORT_L1), Optional.empty(), StaffAccount.Origin.LOCAL, T);
  }

  /** Makes every {@code op} on {@code table} for rows whose {@code column} is {@code id} fail inside PostgreSQL. */
  private static void failInside(String op, String table, String column, StaffId id) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE OR REPLACE FUNCTION custos_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
          + "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$");
      // Staff ids are letters, digits and . _ : - only: safe inside a literal.
      s.execute("CREATE TRIGGER refuse_" + UUID.randomUUID().toString().replace("-", "") + " BEFORE " + op + " ON " + table
          + " FOR EACH ROW WHEN (NEW." + column + " = '" + id.value() + "') EXECUTE FUNCTION custos_test_refuse()");
    }
  }

  @Test
  void suspend_whoseSessionRevocationFails_leavesTheAccountActive() throws Exception {
    StaffId id = fresh();
    instance().create(local(id), Optional.of(PASSWORD));
    String key = SessionSecret.random(random).storageKey();
    sessions().insert(key, new Session(SessionHandle.random(random), id, SessionState.ACTIVE, "password+totp", T, T,
        T.plusSeconds(3600), Optional.of(T), "192.0.2.10", "", "", Optional.empty(), Optional.empty()));
    failInside("UPDATE", "staff_session", "staff", id);

    assertThatThrownBy(() -> instance().suspend(id, "contained", T.plusSeconds(1))).isInstanceOf(StoreException.class);

    assertThat(instance().find(id).orElseThrow().status()).isEqualTo(StaffStatus.ACTIVE);
    assertThat(instance().find(id).orElseThrow().statusReason()).isEmpty();
  }

  @Test
  void create_whosePasswordCannotBeStored_leavesNoAccount() throws Exception {
    StaffId id = fresh();
    failInside("INSERT", "staff_credential", "staff", id);

    assertThatThrownBy(() -> instance().create(local(id), Optional.of(PASSWORD))).isInstanceOf(StoreException.class);

    assertThat(instance().find(id)).isEmpty();
  }

  @Test
  void unreachableDatabase_throws_forEveryMethod() {
    StaffDirectory down = new StaffTable(TestDatabases.unreachable());
    StaffId id = new StaffId("agent-17");
    List<ThrowingCallable> calls = List.of(
        () -> down.create(local(id), Optional.of(PASSWORD)),
        () -> down.find(id),
        () -> down.list(),
        () -> down.suspend(id, "contained", T),
        () -> down.restore(id, "reviewed", T),
        () -> down.setRoles(id, Set.of(Role.AUDITOR)));

    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
    }
  }
}
