package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.StaffId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LocalLoginTest {
  private static final StaffId AGENT = new StaffId("agent-17");
  private static final String PASSWORD = "marmot cinnamon velvet harbour";
  private static final Argon2Cost TEST_COST = new Argon2Cost(256, 1, 1);

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:10Z"));
  private final SecureRandom random = new SecureRandom();
  private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
  private final InMemoryLoginAttemptStore attempts = new InMemoryLoginAttemptStore();
  private final InMemoryTotpReplayStore replay = new InMemoryTotpReplayStore();
  private final InMemoryRecoveryCodeStore recoveryStore = new InMemoryRecoveryCodeStore();
  private final PasswordHasher hasher = new PasswordHasher(TEST_COST, 2, random, false);
  private final RecoveryCodes recoveryCodes = new RecoveryCodes(recoveryStore, random);
  private final TotpSecret totpSecret = TotpSecret.generate(TotpAlgorithm.SHA1, random);
  private final LocalLogin login = instance();

  LocalLoginTest() {
    try (Password p = pw(PASSWORD)) {
      credentials.put(new StaffCredentials(AGENT, hasher.hash(p), Optional.of(totpSecret)));
    }
  }

  /** Another Custos instance sharing every store with the first. */
  private LocalLogin instance() {
    return new LocalLogin(credentials, hasher, new TotpVerifier(Totp.DEFAULT, replay, now::get), recoveryCodes,
        new LoginThrottle(attempts, LoginThrottle.Settings.DEFAULT, now::get));
  }

  private static Password pw(String text) {
    return Password.copyOf(text.toCharArray());
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final InetAddress OFFICE = ip("192.0.2.10");

  private LoginResult password(String username, String password) {
    try (Password p = pw(password)) {
      return login.password(username, p, OFFICE);
    }
  }

  /** A code valid at none of the three accepted steps. */
  private String wrongCode() {
    long step = Totp.DEFAULT.stepAt(now.get());
    List<String> window = List.of(Totp.DEFAULT.code(totpSecret, step - 1), Totp.DEFAULT.code(totpSecret, step),
        Totp.DEFAULT.code(totpSecret, step + 1));
    return java.util.stream.Stream.of("000000", "111111", "222222", "333333").filter(c -> !window.contains(c))
        .findFirst().orElseThrow();
  }

  private String currentCode() {
    return Totp.DEFAULT.codeAt(totpSecret, now.get());
  }

  @Test
  void passwordThenTotp_authenticates() {
    assertThat(password("agent-17", PASSWORD)).isEqualTo(new LoginResult.PasswordAccepted(AGENT));

    assertThat(login.totp(AGENT, currentCode(), OFFICE)).isEqualTo(new LoginResult.Authenticated(AGENT, Factor.TOTP));
  }

  @Test
  void passwordThenRecoveryCode_authenticatesAndUsesTheCodeUp() {
    String code = recoveryCodes.issue(AGENT).revealCodes().get(0);
    password("agent-17", PASSWORD);

    assertThat(login.recoveryCode(AGENT, code, OFFICE)).isEqualTo(new LoginResult.Authenticated(AGENT, Factor.RECOVERY_CODE));
    assertThat(login.recoveryCode(AGENT, code, OFFICE)).isEqualTo(new LoginResult.Refused(LoginResult.Reason.WRONG_CODE));
  }

  @Test
  void wrongPassword_isRefused() {
    assertThat(password("agent-17", "marmot cinnamon velvet harbor"))
        .isEqualTo(new LoginResult.Refused(LoginResult.Reason.WRONG_PASSWORD));
  }

  @Test
  void unknownAccountAndWrongPassword_doTheSameWork() {
    long hashes = hasher.computations();
    int finds = credentials.finds.get();
    int throttleCalls = attempts.calls.get();
    LoginResult wrong = password("agent-17", "guess-one");
    long wrongHashes = hasher.computations() - hashes;
    int wrongFinds = credentials.finds.get() - finds;
    int wrongThrottleCalls = attempts.calls.get() - throttleCalls;

    hashes = hasher.computations();
    finds = credentials.finds.get();
    throttleCalls = attempts.calls.get();
    LoginResult unknown = password("agent-99", "guess-one");

    assertThat(wrong).isInstanceOf(LoginResult.Refused.class);
    assertThat(unknown).isEqualTo(new LoginResult.Refused(LoginResult.Reason.UNKNOWN_ACCOUNT));
    assertThat(hasher.computations() - hashes).isEqualTo(wrongHashes).isEqualTo(1);
    assertThat(credentials.finds.get() - finds).isEqualTo(wrongFinds).isEqualTo(1);
    assertThat(attempts.calls.get() - throttleCalls).isEqualTo(wrongThrottleCalls);
  }

  @Test
  void malformedUsername_stillCostsAHash() {
    long hashes = hasher.computations();

    assertThat(password("not a staff id!", "guess")).isEqualTo(new LoginResult.Refused(LoginResult.Reason.UNKNOWN_ACCOUNT));
    assertThat(hasher.computations() - hashes).isEqualTo(1);
  }

  @Test
  void tenWrongPasswords_lockTheAccount_evenAgainstTheRightOne() {
    for (int i = 0; i < 10; i++) {
      assertThat(login.password("agent-17", pw("guess-" + i), ip("198.51.100." + (i + 1)))).isInstanceOf(LoginResult.Refused.class);
    }

    assertThat(password("agent-17", PASSWORD)).isEqualTo(new LoginResult.Locked(now.get().plus(Duration.ofMinutes(30))));
  }

  @Test
  void unknownAccounts_lockAfterTenAttemptsToo() {
    for (int i = 0; i < 10; i++) {
      login.password("agent-99", pw("guess-" + i), ip("198.51.100." + (i + 1)));
    }

    assertThat(password("agent-99", "guess")).isEqualTo(new LoginResult.Locked(now.get().plus(Duration.ofMinutes(30))));
  }

  @Test
  void lockedAccount_isNotEvenHashed() {
    for (int i = 0; i < 10; i++) {
      login.password("agent-17", pw("guess-" + i), ip("198.51.100." + (i + 1)));
    }
    long hashes = hasher.computations();

    password("agent-17", PASSWORD);

    assertThat(hasher.computations()).isEqualTo(hashes);
  }

  @Test
  void wrongTotpCodes_countTowardsTheLockout() {
    password("agent-17", PASSWORD);
    for (int i = 0; i < 10; i++) {
      assertThat(login.totp(AGENT, wrongCode(), ip("198.51.100." + (i + 1))))
          .isEqualTo(new LoginResult.Refused(LoginResult.Reason.WRONG_CODE));
    }

    assertThat(login.totp(AGENT, currentCode(), OFFICE)).isInstanceOf(LoginResult.Locked.class);
  }

  @Test
  void totpCode_isRefusedWhenReplayedOnASecondInstance() {
    LocalLogin second = instance();
    String code = currentCode();
    password("agent-17", PASSWORD);
    assertThat(login.totp(AGENT, code, OFFICE)).isInstanceOf(LoginResult.Authenticated.class);

    try (Password p = pw(PASSWORD)) {
      assertThat(second.password("agent-17", p, OFFICE)).isInstanceOf(LoginResult.PasswordAccepted.class);
    }
    assertThat(second.totp(AGENT, code, OFFICE)).isEqualTo(new LoginResult.Refused(LoginResult.Reason.REPLAYED_CODE));
  }

  @Test
  void accountWithoutAuthenticator_cannotCompleteWithTotp() {
    StaffId newcomer = new StaffId("agent-new");
    try (Password p = pw(PASSWORD)) {
      credentials.put(new StaffCredentials(newcomer, hasher.hash(p), Optional.empty()));
    }

    assertThat(login.totp(newcomer, "123456", OFFICE)).isEqualTo(new LoginResult.Refused(LoginResult.Reason.FACTOR_NOT_ENROLLED));
  }

  @Test
  void hashBelowThePolicy_isUpgradedAtLogin() {
    PasswordHasher older = new PasswordHasher(new Argon2Cost(64, 1, 1), 1, random, false);
    try (Password p = pw(PASSWORD)) {
      credentials.put(new StaffCredentials(AGENT, older.hash(p), Optional.of(totpSecret)));
    }

    assertThat(password("agent-17", PASSWORD)).isInstanceOf(LoginResult.PasswordAccepted.class);

    PasswordHash upgraded = credentials.accounts.get(AGENT).passwordHash();
    assertThat(upgraded.cost()).isEqualTo(TEST_COST);
    try (Password p = pw(PASSWORD)) {
      assertThat(hasher.verify(p, Optional.of(upgraded))).isTrue();
    }
  }

  @Test
  void unreachableStores_failClosed() {
    credentials.failing = true;
    assertThat(password("agent-17", PASSWORD)).isEqualTo(new LoginResult.Unavailable());
    credentials.failing = false;

    attempts.failing = true;
    assertThat(password("agent-17", PASSWORD)).isEqualTo(new LoginResult.Unavailable());
    assertThat(login.totp(AGENT, currentCode(), OFFICE)).isEqualTo(new LoginResult.Unavailable());
    attempts.failing = false;

    replay.failing = true;
    assertThat(login.totp(AGENT, currentCode(), OFFICE)).isEqualTo(new LoginResult.Unavailable());
  }
}
