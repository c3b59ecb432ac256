package dev.custos.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.identity.IssuedToken;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.identity.ServiceTokens;
import dev.custos.identity.TokenCheck;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service tokens against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class ServiceTokenTableTest {
  @TempDir
  Path temp;

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));

  @Test
  void issuedToken_survivesInPostgres_andIsAcceptedThenRevoked() throws Exception {
    try (var h = TestDatabases.open(temp)) {
      ServiceTokens tokens = new ServiceTokens(new ServiceTokenTable(h.database().dataSource()), now::get, new SecureRandom());
      IssuedToken issued = tokens.issue("wallet-service", Set.of(Scope.LEDGER_APPEND), Optional.of(Duration.ofDays(90)));

      assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND)).isInstanceOf(TokenCheck.Accepted.class);
      ServiceToken listed = tokens.list().getFirst();
      assertThat(listed.name()).isEqualTo("wallet-service");
      assertThat(listed.expiresAt()).contains(now.get().plus(Duration.ofDays(90)));
      assertThat(listed.lastUsedAt()).contains(now.get());

      assertThat(tokens.revoke(issued.token().id())).isTrue();
      assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND))
          .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.REVOKED));
      assertThat(tokens.list().getFirst().revokedAt()).contains(now.get());
    }
  }

  @Test
  void table_holdsOnlyTheHashOfTheSecret() throws Exception {
    try (var h = TestDatabases.open(temp)) {
      ServiceTokens tokens = new ServiceTokens(new ServiceTokenTable(h.database().dataSource()), now::get, new SecureRandom());
      IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
      // cst_<id>_<secret>: the secret's own alphabet (base64url) includes '_', so it is cut after the id.
      String secret = issued.revealText().substring(("cst_" + issued.token().id() + "_").length());
      assertThat(secret).hasSize(43);

      try (Connection c = h.database().dataSource().getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT service_token::text FROM service_token")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).doesNotContain(secret).contains(issued.token().id());
      }
    }
  }

  @Test
  void unreachableDatabase_failsClosed() throws Exception {
    var h = TestDatabases.open(temp);
    ServiceTokens tokens = new ServiceTokens(new ServiceTokenTable(h.database().dataSource()), now::get, new SecureRandom());
    IssuedToken issued = tokens.issue("siem", Set.of(Scope.LEDGER_APPEND), Optional.empty());
    h.close();

    assertThat(tokens.check(issued.revealText(), Scope.LEDGER_APPEND))
        .isEqualTo(new TokenCheck.Rejected(TokenCheck.Reason.UNAVAILABLE));
  }
}
