package dev.custos.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.StaffSingleSignOn.Outcome;
import dev.custos.identity.StaffSingleSignOn.Refusal;
import dev.custos.identity.oidc.OidcOutcome;
import dev.custos.identity.oidc.OidcSettings;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on after the provider's verdict, over the in-memory stores: binding, provisioning,
 * roles following groups, refusals and their ledger events. The provider's part is tested in
 * {@code OidcLoginTest} and, over HTTP, in the server's {@code OidcRoutesTest}.
 */
class StaffSingleSignOnTest {
  private static final String ISSUER = "https://login.exchange.example";
  private static final String SUBJECT = "00u1a2b3c4";
  private static final StaffId AGENT = new StaffId("agent-17");
  private static final String WHERE = "198.51.100.4";

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:10Z"));
  private final SecureRandom random = new SecureRandom();
  private final InMemoryCredentialStore credentials = new InMemoryCredentialStore();
  private final InMemorySessionStore sessionStore = new InMemorySessionStore();
  private final InMemoryStaffDirectory directory = new InMemoryStaffDirectory(sessionStore, credentials);
  private final InMemoryOidcBindingStore bindings = new InMemoryOidcBindingStore();
  private final List<AuthEvent> events = new ArrayList<>();
  private volatile boolean ledgerDown;
  private final AuthEventSink sink = e -> {
    if (ledgerDown) {
      throw new IllegalStateException("ledger down");
    }
    events.add(e);
  };
  private final Sessions sessions = new Sessions(sessionStore, SessionPolicy.DEFAULT, now::get, random);
  private final PasswordHasher hasher = new PasswordHasher(new Argon2Cost(256, 1, 1), 2, random, false);
  private final StaffAdmin admin = new StaffAdmin(directory, credentials,
      new RecoveryCodes(new InMemoryRecoveryCodeStore(), random), sessions, hasher, PasswordPolicy.DEFAULT, id -> 0,
      sink, now::get, random);
  private final OidcSettings settings = OidcSettings.builder()
      .issuer(URI.create(ISSUER)).clientId("custos").clientSecret("secret").redirectUri(URI.create("https://custos.example/cb"))
      .groupRoles(Map.of("support-agents", Set.of(Role.SUPPORT_L1))).build();
  private final StaffSingleSignOn sso = new StaffSingleSignOn(bindings, directory, admin, sessions, settings, sink, now::get);

  private static OidcOutcome.Authenticated authenticated(StaffId staff, String subject, Set<Role> roles) {
    return new OidcOutcome.Authenticated(staff, ISSUER, subject, Optional.of("a@exchange.example"), Optional.of("Alex Agent"),
        roles, List.of("support-agents"), List.of("pwd", "mfa"), Optional.empty(), Optional.empty());
  }

  private static OidcOutcome.Authenticated agent() {
    return authenticated(AGENT, SUBJECT, Set.of(Role.SUPPORT_L1));
  }

  private Outcome finish(OidcOutcome outcome) {
    return sso.finish(outcome, WHERE, "test-agent");
  }

  private AuthEvent lastEvent() {
    return events.getLast();
  }

  @Test
  void firstLogin_provisionsAnOidcAccount_bindsTheSubject_andOpensAnActiveSession() {
    Outcome.SignedIn in = (Outcome.SignedIn) finish(agent());

    assertThat(in.account().origin()).isEqualTo(StaffAccount.Origin.OIDC);
    assertThat(in.account().displayName()).isEqualTo("Alex Agent");
    assertThat(in.account().roles()).containsExactly(Role.SUPPORT_L1);
    assertThat(in.session().session().state()).isEqualTo(SessionState.ACTIVE);
    assertThat(in.session().session().method()).isEqualTo("oidc");
    assertThat(bindings.find(ISSUER, SUBJECT)).contains(AGENT);
    assertThat(sessions.check(in.session().secret().reveal(), SessionState.ACTIVE)).isInstanceOf(SessionCheck.Valid.class);
    assertThat(events).extracting(AuthEvent::type).containsExactly(AuthEvent.Type.STAFF_CREATED, AuthEvent.Type.LOGIN_SUCCEEDED);
    assertThat(lastEvent().detail()).containsEntry("factor", "oidc").containsEntry("binding", "created");
    assertThat(lastEvent().session()).contains(in.session().session().handle());
  }

  @Test
  void laterLogin_withOtherGroups_followsThemAndRecordsTheChange() {
    finish(agent());
    events.clear();

    Outcome.SignedIn in = (Outcome.SignedIn) finish(authenticated(AGENT, SUBJECT, Set.of(Role.FRAUD_ANALYST, Role.APPROVER)));

    assertThat(in.account().roles()).containsExactlyInAnyOrder(Role.FRAUD_ANALYST, Role.APPROVER);
    assertThat(directory.find(AGENT).orElseThrow().roles()).containsExactlyInAnyOrder(Role.FRAUD_ANALYST, Role.APPROVER);
    assertThat(events).extracting(AuthEvent::type)
        .containsExactly(AuthEvent.Type.STAFF_ROLES_CHANGED, AuthEvent.Type.LOGIN_SUCCEEDED);
    assertThat(events.getFirst().detail()).containsEntry("from", "support-l1").containsEntry("to", "approver,fraud-analyst");
  }

  @Test
  void laterLogin_withTheSameGroups_changesNothing() {
    finish(agent());
    events.clear();

    finish(agent());

    assertThat(events).extracting(AuthEvent::type).containsExactly(AuthEvent.Type.LOGIN_SUCCEEDED);
    assertThat(lastEvent().detail()).doesNotContainKey("binding");
  }

  @Test
  void suspendedAccount_isRefused_andRecorded() {
    finish(agent());
    admin.suspend(AGENT, "contained", "security");
    events.clear();

    Outcome.Refused r = (Outcome.Refused) finish(agent());

    assertThat(r.refusal()).isEqualTo(Refusal.SUSPENDED);
    assertThat(sessions.live(AGENT)).isEmpty();
    assertThat(lastEvent().type()).isEqualTo(AuthEvent.Type.LOGIN_FAILED);
    assertThat(lastEvent().detail()).containsEntry("reason", "suspended").containsEntry("factor", "oidc");
  }

  @Test
  void localAccountOfTheSameId_isNeverTakenOver() {
    try (Password p = Password.copyOf("marmot cinnamon velvet harbour".toCharArray())) {
      admin.createLocal(StaffAccount.create(AGENT, "Local Agent", Set.of(Role.SUPPORT_L1), Optional.empty(),
          StaffAccount.Origin.LOCAL, now.get()), p, "test");
    }
    events.clear();

    Outcome.Refused r = (Outcome.Refused) finish(agent());

    assertThat(r.refusal()).isEqualTo(Refusal.ACCOUNT_CONFLICT);
    assertThat(r.reason()).isEqualTo("local-account");
    assertThat(bindings.find(ISSUER, SUBJECT)).isEmpty();
    assertThat(directory.find(AGENT).orElseThrow().origin()).isEqualTo(StaffAccount.Origin.LOCAL);
    assertThat(sessions.live(AGENT)).isEmpty();
    assertThat(lastEvent().staff()).contains(AGENT);
    assertThat(lastEvent().detail()).containsEntry("reason", "local-account");
  }

  @Test
  void subjectRenamedAtTheProvider_isRefused_andNamesTheBoundStaff() {
    finish(agent());
    events.clear();

    Outcome.Refused r = (Outcome.Refused) finish(authenticated(new StaffId("security-lead"), SUBJECT, Set.of(Role.SUPPORT_L1)));

    assertThat(r.refusal()).isEqualTo(Refusal.ACCOUNT_CONFLICT);
    assertThat(r.reason()).isEqualTo("subject-bound-to-other-staff");
    assertThat(directory.find(new StaffId("security-lead"))).isEmpty();
    assertThat(lastEvent().detail()).containsEntry("boundStaff", "agent-17");
  }

  @Test
  void anotherSubjectClaimingABoundStaffId_isRefused() {
    finish(agent());

    Outcome.Refused r = (Outcome.Refused) finish(authenticated(AGENT, "00uIMPOSTOR", Set.of(Role.SUPPORT_L1)));

    assertThat(r.reason()).isEqualTo("staff-bound-to-other-subject");
    assertThat(sessions.live(AGENT)).hasSize(1);
  }

  @Test
  void providersRefusal_isRecordedWithItsReasonAndTokenProblem() {
    Outcome.Refused r = (Outcome.Refused) finish(OidcOutcome.Refused.invalidIdToken(OidcOutcome.TokenProblem.AUDIENCE));

    assertThat(r.refusal()).isEqualTo(Refusal.NOT_VERIFIED);
    assertThat(lastEvent().type()).isEqualTo(AuthEvent.Type.LOGIN_FAILED);
    assertThat(lastEvent().staff()).isEmpty();
    assertThat(lastEvent().detail()).containsEntry("reason", "invalid-id-token").containsEntry("problem", "audience");
  }

  @Test
  void providerUnavailable_isUnavailable_andRecorded() {
    assertThat(finish(new OidcOutcome.Refused(OidcOutcome.Reason.UNAVAILABLE))).isInstanceOf(Outcome.Unavailable.class);
    assertThat(lastEvent().detail()).containsEntry("reason", "unavailable");
  }

  @Test
  void ledgerDown_grantsNoSession() {
    finish(agent());
    ledgerDown = true;

    assertThat(finish(agent())).isInstanceOf(Outcome.Unavailable.class);

    assertThat(sessions.live(AGENT)).hasSize(1);
  }

  @Test
  void bindingStoreDown_isUnavailable() {
    bindings.failing = true;

    assertThat(finish(agent())).isInstanceOf(Outcome.Unavailable.class);
    assertThat(directory.find(AGENT)).isEmpty();
  }

  @Test
  void mfaTime_isTheAuthTime_whenTheTokenProvesMfa() {
    Instant authTime = now.get().minusSeconds(90);
    OidcOutcome.Authenticated a = new OidcOutcome.Authenticated(AGENT, ISSUER, SUBJECT, Optional.empty(), Optional.empty(),
        Set.of(Role.SUPPORT_L1), List.of(), List.of("mfa"), Optional.empty(), Optional.of(authTime));

    Outcome.SignedIn in = (Outcome.SignedIn) finish(a);

    assertThat(in.session().session().mfaAt()).contains(authTime);
  }

  @Test
  void mfaTime_isNow_whenTheTokenProvesMfaWithoutAuthTime_orStatesOneInTheFuture() {
    OidcOutcome.Authenticated future = new OidcOutcome.Authenticated(AGENT, ISSUER, SUBJECT, Optional.empty(),
        Optional.empty(), Set.of(Role.SUPPORT_L1), List.of(), List.of(), Optional.of("phrh"),
        Optional.of(now.get().plusSeconds(30)));

    assertThat(sso.mfaAt(agent())).contains(now.get());
    assertThat(sso.mfaAt(future)).contains(now.get());
  }

  @Test
  void mfaTime_isAbsent_whenTheTokenDoesNotProveMfa() {
    OidcOutcome.Authenticated passwordOnly = new OidcOutcome.Authenticated(AGENT, ISSUER, SUBJECT, Optional.empty(),
        Optional.empty(), Set.of(Role.SUPPORT_L1), List.of(), List.of("pwd"), Optional.empty(), Optional.of(now.get()));

    Outcome.SignedIn in = (Outcome.SignedIn) finish(passwordOnly);

    assertThat(in.session().session().mfaAt()).isEmpty();
  }

  @Test
  void refusalBeforeTheProvidersVerdict_isRecorded() {
    assertThat(sso.refuse("no-pending-login", WHERE)).isEqualTo(new Outcome.Refused(Refusal.NOT_VERIFIED, "no-pending-login"));
    assertThat(lastEvent().detail()).containsEntry("reason", "no-pending-login").containsEntry("step", "oidc-callback");
  }
}
