package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs against the embedded PostgreSQL, or against CUSTOS_TEST_DB_URL when set. */
class DatabaseTest {
  @TempDir
  Path temp;

  @Test
  void open_migratesToTheNewestSchema() throws Exception {
    try (var h = TestDatabases.open(temp); Connection c = h.database().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(version::int) FROM flyway_schema_history WHERE success")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
      assertThat(h.database().problem(Duration.ofSeconds(2))).isNull();
    }
  }

  @Test
  void recordStart_keepsOneInstallation_andCountsStarts() throws Exception {
    InstantSource clock = InstantSource.fixed(Instant.parse("2026-11-21T10:00:00Z"));
    try (var h = TestDatabases.open(temp)) {
      Installations installations = new Installations(h.database().dataSource(), clock, RandomGenerator.of("L64X128MixRandom"));
      Installation first = installations.recordStart("1.0.0");
      Installation second = installations.recordStart("1.0.1");
      assertThat(second.id()).isEqualTo(first.id());
      assertThat(second.createdAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
      assertThat(second.starts()).isEqualTo(first.starts() + 1);
      assertThat(first.id().version()).isEqualTo(4);
    }
  }

  @Test
  void recordStart_withOverlongVersion_changesNothing() throws Exception {
    try (var h = TestDatabases.open(temp)) {
      Installations installations = new Installations(h.database().dataSource(), InstantSource.system(), RandomGenerator.getDefault());
      long before = installations.recordStart("ok").starts();
      assertThatThrownBy(() -> installations.recordStart("v".repeat(65))).isInstanceOf(java.sql.SQLException.class);
      assertThat(installations.recordStart("ok").starts()).isEqualTo(before + 1);
    }
  }

  @Test
  void problem_afterClose_saysThePoolIsClosed() throws Exception {
    var h = TestDatabases.open(temp);
    h.close();
    assertThat(h.database().problem(Duration.ofSeconds(1))).contains("closed");
  }

  @Test
  void external_unreachable_failsWithClearMessage_withoutThePassword() {
    assertThatThrownBy(() -> Database.external("jdbc:postgresql://127.0.0.1:1/none?password=hunter2", "nobody",
        "hunter2".toCharArray(), new DatabaseSettings(1, Duration.ofSeconds(1), null)))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("cannot connect to external PostgreSQL")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void jdbcUrls_withoutSecrets_hidesPasswordsAndUserInfo() {
    assertThat(JdbcUrls.withoutSecrets("jdbc:postgresql://db:5432/x?user=u&password=p&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/x?user=***&password=***&ssl=true");
    assertThat(JdbcUrls.withoutSecrets("jdbc:postgresql://u:p@db/x")).isEqualTo("jdbc:postgresql://***@db/x");
  }

  @Test
  void settings_outOfRange_areRefusedNotClamped() {
    assertThatThrownBy(() -> new DatabaseSettings(0, Duration.ofSeconds(10), null)).hasMessageContaining("poolSize");
    assertThatThrownBy(() -> new DatabaseSettings(5, Duration.ZERO, null)).hasMessageContaining("connectTimeout");
  }

  @Test
  void brokenConstraint_namesTheConstraint_butQuotesNoRowData() throws Exception {
    try (var h = TestDatabases.open(temp); Connection c = h.database().dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO staff (id, display_name, roles, origin, status, created_at) "
          + "VALUES ('agent-17', 'Ada', ARRAY['support-l1'], 'local', 'active', now())");

      // A hash that breaks the length check; the driver would otherwise print the whole failing row.
      assertThatThrownBy(() -> s.execute("INSERT INTO staff_credential (staff, password_hash) "
          + "VALUES ('agent-17', '$argon2id$" + "SECRETMATERIAL".repeat(40) + "')"))
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("staff_credential_password_hash_check")
          .hasMessageNotContaining("SECRETMATERIAL");
    }
  }
}
