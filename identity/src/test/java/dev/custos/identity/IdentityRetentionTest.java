package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.StaffId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The periodic purge of identity rows, over the in-memory stores. */
class IdentityRetentionTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
  private final InMemorySessionStore sessions = new InMemorySessionStore();
  private final InMemoryLoginAttemptStore attempts = new InMemoryLoginAttemptStore();
  private final InMemoryTotpReplayStore replay = new InMemoryTotpReplayStore();
  private final TotpVerifier totp = new TotpVerifier(Totp.DEFAULT, replay, now::get);
  private final IdentityRetention retention = new IdentityRetention(sessions, attempts, totp,
      IdentityRetention.DEFAULT_SESSION_RETENTION, LoginThrottle.Settings.DEFAULT, now::get);

  @Test
  void purge_removesSessionsEndedMoreThanTheRetentionAgo_only() {
    StaffId staff = StoreContracts.freshAccount();
    Instant start = now.get().minus(Duration.ofDays(10));
    String old = StoreContracts.sessionKey();
    sessions.insert(old, StoreContracts.session(staff, start, start.plus(Duration.ofHours(10))));
    String recent = StoreContracts.sessionKey();
    sessions.insert(recent, StoreContracts.session(staff, now.get().minus(Duration.ofDays(2)),
        now.get().minus(Duration.ofDays(1))));

    assertThat(retention.purge().sessions()).isEqualTo(1);

    assertThat(sessions.find(old)).isEmpty();
    assertThat(sessions.find(recent)).isPresent();
  }

  @Test
  void purge_forgetsLoginAttemptsOlderThanTheThrottlesMemory_only() {
    attempts.updateAccount("user:old", a -> new AccountAttempts(4, Optional.of(now.get().minus(Duration.ofDays(2))),
        Optional.empty()));
    attempts.updateAccount("user:recent", a -> new AccountAttempts(4, Optional.of(now.get().minus(Duration.ofHours(2))),
        Optional.empty()));

    assertThat(retention.purge().loginAttempts()).isEqualTo(1);

    assertThat(attempts.account("user:old")).isEqualTo(AccountAttempts.NONE);
    assertThat(attempts.account("user:recent").failures()).isEqualTo(4);
  }

  @Test
  void purge_forgetsTotpStepsNoCodeCanReach_andKeepsTheWindow() {
    long current = Totp.DEFAULT.stepAt(now.get());
    StaffId spent = StoreContracts.freshAccount();
    StaffId justUsed = StoreContracts.freshAccount();
    replay.markUsed(spent, current - 2);
    replay.markUsed(justUsed, current - 1);

    assertThat(retention.purge().totpSteps()).isEqualTo(1);

    assertThat(replay.markUsed(justUsed, current - 1)).as("the previous step is still in the window: still a replay").isFalse();
  }

  @Test
  void retentionUnderADay_isRefused() {
    assertThatThrownBy(() -> new IdentityRetention(sessions, attempts, totp, Duration.ofHours(1),
        LoginThrottle.Settings.DEFAULT, now::get)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sessionRetention");
  }
}
