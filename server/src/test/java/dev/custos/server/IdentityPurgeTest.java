package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.custos.identity.IdentityRetention;
import dev.custos.identity.LoginThrottle;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpVerifier;
import dev.custos.store.LoginAttemptTable;
import dev.custos.store.SessionTable;
import dev.custos.store.TotpReplayTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The scheduled identity purge survives a database outage and stops when closed. */
class IdentityPurgeTest {
  private static DataSource unreachable() {
    return (DataSource) Proxy.newProxyInstance(IdentityPurgeTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getConnection")) {
            throw new SQLException("Connection to 127.0.0.1:1 refused", "08001");
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static IdentityRetention overUnreachableDatabase() {
    DataSource db = unreachable();
    return new IdentityRetention(new SessionTable(db), new LoginAttemptTable(db),
        new TotpVerifier(Totp.DEFAULT, new TotpReplayTable(db), InstantSource.system()),
        IdentityRetention.DEFAULT_SESSION_RETENTION, LoginThrottle.Settings.DEFAULT, InstantSource.system());
  }

  @Test
  void runOnce_withTheDatabaseDown_neitherThrowsNorCounts() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (IdentityPurge purge = IdentityPurge.start(overUnreachableDatabase(), meters)) {
      assertThatCode(purge::runOnce).doesNotThrowAnyException();
    }
    assertThat(meters.get("custos.identity.purged").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void close_stopsTheSchedule() {
    IdentityPurge purge = IdentityPurge.start(overUnreachableDatabase(), new SimpleMeterRegistry());

    assertThat(purge.stopped()).isFalse();

    purge.close();

    assertThat(purge.stopped()).isTrue();
  }
}
