package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The login, step-up and containment flows end to end over the in-memory stores. */
class StaffLoginsTest {
  private static final StaffId ALICE = new StaffId("alice");
  private static final StaffId SAM = new StaffId("sam");
  private static final String PASSWORD = "marmot cinnamon velvet harbour";
  private static final InetAddress OFFICE = InetAddress.getLoopbackAddress();

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:10Z"));
  private final SecureRandom random = new SecureRandom();
  private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
  private final InMemorySessionStore sessionStore = new InMemorySessionStore();
  private final InMemoryStaffDirectory directory = new InMemoryStaffDirectory(sessionStore, credentials);
  private final InMemoryTotpReplayStore replay = new InMemoryTotpReplayStore();
  private final RecoveryCodes recoveryCodes = new RecoveryCodes(new InMemoryRecoveryCodeStore(), random);
  private final PasswordHasher hasher = new PasswordHasher(new Argon2Cost(256, 1, 1), 2, random, false);
  private final List<AuthEvent> events = new ArrayList<>();
  private final FakeWebAuthn webAuthn = new FakeWebAuthn();
  private volatile boolean ledgerDown;
  private final AuthEventSink sink = e -> {
    if (ledgerDown) {
      throw new IllegalStateException("ledger down");
    }
    events.add(e);
  };
  private final Sessions sessions = new Sessions(sessionStore, SessionPolicy.DEFAULT, now::get, random);
  private final StaffLogins logins = new StaffLogins(
      new LocalLogin(credentials, hasher, new TotpVerifier(Totp.DEFAULT, replay, now::get), recoveryCodes,
          new LoginThrottle(new InMemoryLoginAttemptStore(), LoginThrottle.Settings.DEFAULT, now::get)),
      sessions, directory, credentials, recoveryCodes, webAuthn, sink, now::get);
  private final StaffAdmin admin = new StaffAdmin(directory, credentials, recoveryCodes, sessions, hasher,
      PasswordPolicy.DEFAULT, id -> 0, sink, now::get, random);
  private TotpSecret aliceTotp;
  private List<String> aliceRecovery;

  /** A fake relying party: verifies when the proof is "good", reports a regression for "cloned". */
  static final class FakeWebAuthn implements WebAuthnAssertions {
    volatile boolean enrolled;

    @Override
    public boolean enrolled(StaffId staff) {
      return enrolled;
    }

    @Override
    public Optional<Challenge> challenge(StaffId staff) {
      return enrolled ? Optional.of(new Challenge("{\"publicKey\":{}}", "request-" + staff)) : Optional.empty();
    }

    @Override
    public Verdict verify(StaffId staff, String requestJson, String responseJson) {
      if (!requestJson.equals("request-" + staff)) {
        return new Verdict.Refused("verification-failed");
      }
      return switch (responseJson) {
        case "good" -> new Verdict.Verified("cred-1");
        case "cloned" -> new Verdict.CounterRegressed("cred-1", 41, 7);
        default -> new Verdict.Refused("verification-failed");
      };
    }
  }

  @BeforeEach
  void accounts() {
    try (Password p = Password.copyOf(PASSWORD.toCharArray())) {
      var alice = (StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) admin.createLocal(StaffAccount.create(ALICE, "Alice",
          Set.of(Role.SUPPORT_L1), Optional.of("desk-1"), StaffAccount.Origin.LOCAL, now.get()), p, "test");
      aliceTotp = alice.value().totp().secret();
      aliceRecovery = alice.value().recoveryCodes().revealCodes();
      admin.createLocal(StaffAccount.create(SAM, "Sam", Set.of(Role.SECURITY_ANALYST), Optional.empty(),
          StaffAccount.Origin.LOCAL, now.get()), p, "test");
    }
    events.clear();
  }

  private LoginStep password(String user, String pw) {
    try (Password p = Password.copyOf(pw.toCharArray())) {
      return logins.password(user, p, OFFICE, "test-agent");
    }
  }

  private LoginStep.SecondFactorNeeded passwordOk(StaffId who) {
    return (LoginStep.SecondFactorNeeded) password(who.value(), PASSWORD);
  }

  private String code() {
    return Totp.DEFAULT.codeAt(aliceTotp, now.get());
  }

  private LoginStep.Complete loginAlice() {
    LoginStep.SecondFactorNeeded pending = passwordOk(ALICE);
    return (LoginStep.Complete) logins.secondFactor(pending.pending().secret(), pending.pending().session(), Factor.TOTP,
        code(), OFFICE);
  }

  @Test
  void passwordThenTotp_opensASessionWithANewId_andRecordsIt() {
    LoginStep.SecondFactorNeeded pending = passwordOk(ALICE);
    assertThat(pending.factors()).containsExactlyInAnyOrder(Factor.TOTP, Factor.RECOVERY_CODE);

    LoginStep step = logins.secondFactor(pending.pending().secret(), pending.pending().session(), Factor.TOTP, code(), OFFICE);

    LoginStep.Complete done = (LoginStep.Complete) step;
    assertThat(done.session().secret().reveal()).isNotEqualTo(pending.pending().secret().reveal());
    assertThat(done.session().session().mfaAt()).contains(now.get());
    assertThat(sessions.check(done.session().secret().reveal(), SessionState.ACTIVE)).isInstanceOf(SessionCheck.Valid.class);
    // No session fixation: the pending id is dead.
    assertThat(sessions.check(pending.pending().secret().reveal(), SessionState.PENDING))
        .isEqualTo(new SessionCheck.Refused(SessionCheck.Reason.REVOKED));
    assertThat(events).extracting(AuthEvent::type).containsExactly(AuthEvent.Type.LOGIN_SUCCEEDED);
    assertThat(events.getFirst().detail()).containsEntry("factor", "totp");
  }

  @Test
  void aTotpCodeIsUsableOnce_evenInAnotherLogin() {
    loginAlice();
    LoginStep.SecondFactorNeeded second = passwordOk(ALICE);

    LoginStep replayed = logins.secondFactor(second.pending().secret(), second.pending().session(), Factor.TOTP, code(), OFFICE);

    assertThat(replayed).isEqualTo(new LoginStep.Refused("replayed-code"));
    assertThat(events.getLast().type()).isEqualTo(AuthEvent.Type.LOGIN_FAILED);
  }

  @Test
  void unknownAccountAndWrongPassword_getTheSameRefusal_andTheUnknownNameIsNotRecorded() {
    LoginStep unknown = password("mallory", PASSWORD);
    LoginStep wrong = password("alice", "not the password at all");

    assertThat(unknown).isInstanceOf(LoginStep.Refused.class);
    assertThat(wrong).isInstanceOf(LoginStep.Refused.class);
    assertThat(events).extracting(AuthEvent::type).containsExactly(AuthEvent.Type.LOGIN_FAILED, AuthEvent.Type.LOGIN_FAILED);
    assertThat(events.get(0).staff()).isEmpty();
    assertThat(events.get(1).staff()).contains(ALICE);
  }

  @Test
  void tenFailures_lockTheAccount() {
    for (int i = 0; i < 10; i++) {
      password("alice", "wrong password number " + i);
    }
    assertThat(password("alice", PASSWORD)).isInstanceOf(LoginStep.Locked.class);
  }

  @Test
  void suspension_killsTheLiveSession_andRefusesNewLogins() {
    LoginStep.Complete live = loginAlice();

    var suspended = admin.suspend(ALICE, "decoy touched", "staff:sam");

    assertThat(suspended).isEqualTo(new StaffAdmin.Outcome.Done<>(1));
    assertThat(sessions.check(live.session().secret().reveal(), SessionState.ACTIVE))
        .isEqualTo(new SessionCheck.Refused(SessionCheck.Reason.REVOKED));
    assertThat(password("alice", PASSWORD)).isEqualTo(new LoginStep.Suspended());
    assertThat(events).extracting(AuthEvent::type).contains(AuthEvent.Type.STAFF_SUSPENDED);
  }

  @Test
  void restore_needsAnotherActiveSecurityAnalyst_andAReason() {
    admin.suspend(ALICE, "decoy touched", "staff:sam");

    assertThat(admin.restore(ALICE, "reviewed", ALICE, "x")).isInstanceOf(StaffAdmin.Outcome.Refused.class);
    assertThat(admin.restore(ALICE, " ", SAM, "x")).isInstanceOf(StaffAdmin.Outcome.Refused.class);
    assertThat(admin.restore(SAM, "reviewed", SAM, "x")).isInstanceOf(StaffAdmin.Outcome.Refused.class);
    assertThat(admin.restore(ALICE, "reviewed with the team lead", SAM, "staff:sam"))
        .isInstanceOf(StaffAdmin.Outcome.Done.class);
    assertThat(passwordOk(ALICE).factors()).contains(Factor.TOTP);
  }

  @Test
  void stepUp_rotatesTheId_andRecordsTheNewMfaTime() {
    LoginStep.Complete live = loginAlice();
    now.set(now.get().plus(Duration.ofMinutes(2)));

    LoginStep.Complete up = (LoginStep.Complete) logins.stepUp(live.session().secret(), live.session().session(),
        Factor.TOTP, code(), OFFICE);

    assertThat(up.session().session().mfaAt()).contains(now.get());
    assertThat(up.session().session().expiresAt()).isEqualTo(live.session().session().expiresAt());
    assertThat(sessions.check(live.session().secret().reveal(), SessionState.ACTIVE))
        .isEqualTo(new SessionCheck.Refused(SessionCheck.Reason.REVOKED));
    assertThat(sessions.mfaWithin(up.session().session(), Duration.ofMinutes(5))).isTrue();
    assertThat(events.getLast().type()).isEqualTo(AuthEvent.Type.STEP_UP_SUCCEEDED);
  }

  @Test
  void recoveryCodes_completeALogin_onceEach_butNeverAStepUp() {
    LoginStep.SecondFactorNeeded p = passwordOk(ALICE);
    assertThat(logins.secondFactor(p.pending().secret(), p.pending().session(), Factor.RECOVERY_CODE, aliceRecovery.get(0),
        OFFICE)).isInstanceOf(LoginStep.Complete.class);
    LoginStep.SecondFactorNeeded again = passwordOk(ALICE);
    assertThat(logins.secondFactor(again.pending().secret(), again.pending().session(), Factor.RECOVERY_CODE,
        aliceRecovery.get(0), OFFICE)).isInstanceOf(LoginStep.Refused.class);
    LoginStep.Complete live = loginAlice();
    assertThat(logins.stepUp(live.session().secret(), live.session().session(), Factor.RECOVERY_CODE, aliceRecovery.get(1),
        OFFICE)).isInstanceOf(LoginStep.Refused.class);
  }

  @Test
  void idleAndAbsoluteTimeouts_endSessions() {
    LoginStep.Complete idle = loginAlice();
    now.set(now.get().plus(SessionPolicy.DEFAULT.idle()));
    assertThat(sessions.check(idle.session().secret().reveal(), SessionState.ACTIVE))
        .isEqualTo(new SessionCheck.Refused(SessionCheck.Reason.IDLE));

    now.set(now.get().plus(Duration.ofSeconds(30)));
    LoginStep.Complete busy = loginAlice();
    Instant end = busy.session().session().expiresAt();
    while (now.get().plus(Duration.ofMinutes(10)).isBefore(end)) {
      now.set(now.get().plus(Duration.ofMinutes(10)));
      assertThat(sessions.check(busy.session().secret().reveal(), SessionState.ACTIVE)).isInstanceOf(SessionCheck.Valid.class);
    }
    now.set(end);
    assertThat(sessions.check(busy.session().secret().reveal(), SessionState.ACTIVE))
        .isEqualTo(new SessionCheck.Refused(SessionCheck.Reason.EXPIRED));
  }

  @Test
  void webAuthnCounterGoingBackwards_isRefused_andRecordedAsItsOwnEvent() {
    webAuthn.enrolled = true;
    LoginStep.SecondFactorNeeded p = passwordOk(ALICE);
    assertThat(p.factors()).contains(Factor.WEBAUTHN);
    assertThat(logins.webAuthnChallenge(p.pending().secret(), p.pending().session())).isPresent();
    Session withChallenge = sessionStore.find(p.pending().secret().storageKey()).orElseThrow();

    LoginStep step = logins.secondFactor(p.pending().secret(), withChallenge, Factor.WEBAUTHN, "cloned", OFFICE);

    assertThat(step).isEqualTo(new LoginStep.Refused("webauthn-counter-regressed"));
    AuthEvent flagged = events.stream().filter(e -> e.type() == AuthEvent.Type.WEBAUTHN_COUNTER_REGRESSED).findFirst()
        .orElseThrow();
    assertThat(flagged.detail()).containsEntry("storedCount", "41").containsEntry("presentedCount", "7");
    assertThat(logins.secondFactor(p.pending().secret(), withChallenge, Factor.WEBAUTHN, "good", OFFICE))
        .isInstanceOf(LoginStep.Complete.class);
  }

  @Test
  void whenTheLedgerCannotRecord_noSessionIsGranted() {
    LoginStep.SecondFactorNeeded p = passwordOk(ALICE);
    ledgerDown = true;

    LoginStep step = logins.secondFactor(p.pending().secret(), p.pending().session(), Factor.TOTP, code(), OFFICE);

    assertThat(step).isEqualTo(new LoginStep.Unavailable());
    assertThat(sessions.live(ALICE)).isEmpty();
  }

  @Test
  void resetFactors_revokesSessions_andIssuesAFreshAuthenticator() {
    LoginStep.Complete live = loginAlice();
    var reset = (StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) admin.resetFactors(ALICE, "phone lost", "os-user:root");

    assertThat(sessions.check(live.session().secret().reveal(), SessionState.ACTIVE))
        .isInstanceOf(SessionCheck.Refused.class);
    assertThat(reset.value().totp().secret()).isNotEqualTo(aliceTotp);
    assertThat(events).extracting(AuthEvent::type).contains(AuthEvent.Type.FACTORS_RESET, AuthEvent.Type.FACTOR_ENROLLED);
  }
}
