package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
  private final InMemoryLoginAttemptStore store = new InMemoryLoginAttemptStore();
  private final LoginThrottle throttle = new LoginThrottle(store, LoginThrottle.Settings.DEFAULT, now::get);

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Attempts from a fresh address each time, so only the account limit is in play. */
  private LoginGate attempt(String username, int n) {
    return throttle.admit(username, ip("10.0." + (n / 250) + "." + (n % 250 + 1)));
  }

  @Test
  void tenFailures_lockTheAccountForThirtyMinutes() {
    for (int i = 0; i < 10; i++) {
      assertThat(attempt("agent-17", i)).as("attempt %d", i + 1).isEqualTo(new LoginGate.Allowed());
    }

    assertThat(attempt("agent-17", 10)).isEqualTo(new LoginGate.Locked(now.get().plus(Duration.ofMinutes(30))));
  }

  @Test
  void lockout_endsAfterThirtyMinutes() {
    for (int i = 0; i < 10; i++) {
      attempt("agent-17", i);
    }
    Instant until = now.get().plus(Duration.ofMinutes(30));
    now.set(until.minusMillis(1));
    assertThat(attempt("agent-17", 11)).isEqualTo(new LoginGate.Locked(until));

    now.set(until);

    assertThat(attempt("agent-17", 12)).isEqualTo(new LoginGate.Allowed());
    assertThat(throttle.attempts("agent-17").failures()).as("a fresh count after the lockout").isEqualTo(1);
  }

  @Test
  void attemptsDuringALockout_doNotExtendIt() {
    for (int i = 0; i < 10; i++) {
      attempt("agent-17", i);
    }
    Instant until = now.get().plus(Duration.ofMinutes(30));
    now.set(now.get().plus(Duration.ofMinutes(29)));

    assertThat(attempt("agent-17", 20)).isEqualTo(new LoginGate.Locked(until));
  }

  @Test
  void unknownAccountNames_areLockedExactlyLikeKnownOnes() {
    List<LoginGate> known = new ArrayList<>();
    List<LoginGate> unknown = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      known.add(attempt("agent-17", i));
      unknown.add(attempt("no-such-agent", i + 100));
    }

    assertThat(unknown).isEqualTo(known);
  }

  @Test
  void namesDifferingOnlyInCase_shareOneCount() {
    for (int i = 0; i < 10; i++) {
      attempt(i % 2 == 0 ? "Agent-17" : "agent-17 ", i);
    }

    assertThat(attempt("AGENT-17", 10)).isInstanceOf(LoginGate.Locked.class);
  }

  @Test
  void successfulLogin_clearsTheCount() {
    for (int i = 0; i < 9; i++) {
      attempt("agent-17", i);
    }

    throttle.authenticated("agent-17");

    for (int i = 0; i < 10; i++) {
      assertThat(attempt("agent-17", i)).isEqualTo(new LoginGate.Allowed());
    }
  }

  @Test
  void correctPasswordAtTheLastAttempt_leavesRoomForTheSecondFactor() {
    for (int i = 0; i < 10; i++) {
      attempt("agent-17", i); // the tenth has the right password
    }

    throttle.firstFactorPassed("agent-17");

    assertThat(attempt("agent-17", 10)).as("the second factor").isEqualTo(new LoginGate.Allowed());
    assertThat(attempt("agent-17", 11)).as("if the second factor was wrong").isInstanceOf(LoginGate.Locked.class);
  }

  @Test
  void failuresOlderThanTheMemory_areForgotten() {
    for (int i = 0; i < 9; i++) {
      attempt("agent-17", i);
    }
    now.set(now.get().plus(Duration.ofDays(1)));

    attempt("agent-17", 9);

    assertThat(throttle.attempts("agent-17").failures()).isEqualTo(1);
  }

  @Test
  void unlock_liftsALockout() {
    for (int i = 0; i < 10; i++) {
      attempt("agent-17", i);
    }

    throttle.unlock("agent-17");

    assertThat(attempt("agent-17", 10)).isEqualTo(new LoginGate.Allowed());
  }

  @Test
  void parallelFlood_isAdmittedAtMostTenTimes() throws Exception {
    List<Callable<LoginGate>> tasks = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int n = i;
      tasks.add(() -> attempt("agent-17", n));
    }

    List<LoginGate> results = dev.custos.access.Races.race(tasks);

    assertThat(results).filteredOn(g -> g instanceof LoginGate.Allowed).hasSize(10);
  }

  @Test
  void oneAddress_getsTwentyAttemptsAMinute() {
    InetAddress attacker = ip("203.0.113.9");
    for (int i = 0; i < 20; i++) {
      assertThat(throttle.admit("user-" + i, attacker)).as("attempt %d", i + 1).isEqualTo(new LoginGate.Allowed());
    }

    assertThat(throttle.admit("user-20", attacker)).isEqualTo(new LoginGate.Throttled(Duration.ofSeconds(3)));

    now.set(now.get().plusSeconds(3));
    assertThat(throttle.admit("user-21", attacker)).isEqualTo(new LoginGate.Allowed());
    assertThat(throttle.admit("user-22", attacker)).isEqualTo(new LoginGate.Throttled(Duration.ofSeconds(3)));
  }

  @Test
  void throttledAttempts_doNotCountAgainstTheAccount() {
    InetAddress attacker = ip("203.0.113.9");
    for (int i = 0; i < 20; i++) {
      throttle.admit("user-" + i, attacker);
    }

    throttle.admit("agent-17", attacker);

    assertThat(throttle.attempts("agent-17")).isEqualTo(AccountAttempts.NONE);
  }

  @Test
  void ipv6Addresses_areThrottledPerSlash64() {
    for (int i = 0; i < 20; i++) {
      throttle.admit("user-" + i, ip("2001:db8:1:2::" + Integer.toHexString(i + 1)));
    }

    assertThat(throttle.admit("user-x", ip("2001:db8:1:2:ffff::1"))).isInstanceOf(LoginGate.Throttled.class);
    assertThat(throttle.admit("user-y", ip("2001:db8:1:3::1"))).isEqualTo(new LoginGate.Allowed());
  }

  @Test
  void keys_areBoundedAndNormalised() {
    assertThat(LoginThrottle.accountKey(" Agent-17 ")).isEqualTo("user:agent-17");
    assertThat(LoginThrottle.accountKey("x".repeat(1000))).hasSize(5 + 64).startsWith("user#");
    assertThat(LoginThrottle.addressKey(ip("192.0.2.1"))).isEqualTo("ip4:192.0.2.1");
    assertThat(LoginThrottle.addressKey(ip("2001:db8::1"))).isEqualTo("ip6:20010db800000000/64");
    assertThat(LoginThrottle.addressKey(ip("::ffff:192.0.2.1"))).isEqualTo("ip4:192.0.2.1");
  }

  @Test
  void settingsWeakerThanPciDss_areRefused() {
    assertThatThrownBy(() -> new LoginThrottle.Settings(11, Duration.ofMinutes(30), Duration.ofDays(1), 20, Duration.ofMinutes(1)))
        .hasMessageContaining("maxFailures").hasMessageContaining("PCI");
    assertThatThrownBy(() -> new LoginThrottle.Settings(10, Duration.ofMinutes(29), Duration.ofDays(1), 20, Duration.ofMinutes(1)))
        .hasMessageContaining("lockout").hasMessageContaining("PCI");
    assertThatThrownBy(() -> new LoginThrottle.Settings(10, Duration.ofMinutes(30), Duration.ofMinutes(10), 20, Duration.ofMinutes(1)))
        .hasMessageContaining("failureMemory");
    assertThatThrownBy(() -> new LoginThrottle.Settings(10, Duration.ofMinutes(30), Duration.ofDays(1), 0, Duration.ofMinutes(1)))
        .hasMessageContaining("addressBurst");
  }

  @Test
  void stricterSettings_areHonoured() {
    LoginThrottle strict = new LoginThrottle(store,
        new LoginThrottle.Settings(3, Duration.ofHours(2), Duration.ofDays(1), 20, Duration.ofMinutes(1)), now::get);
    for (int i = 0; i < 3; i++) {
      strict.admit("agent-99", ip("10.1.0." + (i + 1)));
    }

    assertThat(strict.admit("agent-99", ip("10.1.0.9"))).isEqualTo(new LoginGate.Locked(now.get().plus(Duration.ofHours(2))));
  }

  @Test
  void unreachableStore_throwsRatherThanAdmitting() {
    store.failing = true;

    assertThatThrownBy(() -> attempt("agent-17", 0)).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Whatever the interleaving of attempts, time passing and correct passwords: an attempt is never
   * admitted while the account is locked, the count never exceeds ten, and ten always means locked.
   */
  @Property(tries = 300)
  void anyScript_keepsTheLockoutInvariants(@ForAll @Size(max = 80) List<@IntRange(min = 0, max = 9) Integer> script) {
    AtomicReference<Instant> clock = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
    LoginThrottle t = new LoginThrottle(new InMemoryLoginAttemptStore(), LoginThrottle.Settings.DEFAULT, clock::get);
    int n = 0;
    for (int action : script) {
      AccountAttempts before = t.attempts("agent-17");
      switch (action) {
        case 9 -> clock.set(clock.get().plus(Duration.ofMinutes(7)));
        case 8 -> t.firstFactorPassed("agent-17");
        default -> {
          LoginGate gate = t.admit("agent-17", ip("10.2.0." + (n++ % 250 + 1)));
          assertThat(gate instanceof LoginGate.Allowed).isEqualTo(!before.lockedAt(clock.get()));
        }
      }
      AccountAttempts after = t.attempts("agent-17");
      assertThat(after.failures()).isBetween(0, 10);
      if (after.failures() == 10) {
        assertThat(after.lockedUntil()).isPresent();
      }
    }
  }
}
