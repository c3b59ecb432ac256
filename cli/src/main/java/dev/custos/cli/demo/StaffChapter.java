package dev.custos.cli.demo;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Staff log in with a password and a second factor; a code is usable once; security contains an
 * agent and her live session dies at its next request.
 */
final class StaffChapter implements Chapter {
  @Override
  public String title() {
    return "Staff log in with a second factor, and containment cuts a session at once";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    n.step("stopping Custos to add two members of staff (what 'custos staff add' does)");
    scene.stop();
    String password = "demo " + Long.toHexString(new SecureRandom().nextLong()) + " harbour";
    TotpSecret aliceTotp;
    TotpSecret samTotp;
    String aliceRecovery;
    String samRecovery;
    try (Administration admin = Administration.open(scene.config(), InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(password.toCharArray())) {
      StaffAdmin.Enrolment a = enrol(admin, StaffAccount.create(new StaffId("alice"), "Alice (support agent)",
          Set.of(Role.SUPPORT_L1), Optional.of("desk-1"), StaffAccount.Origin.LOCAL, Instant.now()), p);
      StaffAdmin.Enrolment s = enrol(admin, StaffAccount.create(new StaffId("sam"), "Sam (security analyst)",
          Set.of(Role.SECURITY_ANALYST), Optional.of("security"), StaffAccount.Origin.LOCAL, Instant.now()), p);
      aliceTotp = a.totp().secret();
      samTotp = s.totp().secret();
      aliceRecovery = a.recoveryCodes().revealCodes().get(0);
      samRecovery = s.recoveryCodes().revealCodes().get(0);
    }
    n.step("alice (agent) and sam (security) added, each with a password, an authenticator app and recovery codes");
    n.step("console logins (throwaway demo accounts): password \"" + password + "\"; second factor \"Use a recovery "
        + "code\": alice " + aliceRecovery + ", sam " + samRecovery + " (alice ends the story suspended: sam can "
        + "restore her under Staff)");
    URI base = scene.custos().baseUri();
    long ledgerBefore = scene.custos().ledger().durableSize();

    Browser alice = new Browser("alice");
    Browser.Reply first = alice.post(base, "/v1/session/login", Map.of("username", "alice", "password", password));
    n.step("POST /v1/session/login (alice, password) -> " + first.status() + " " + first.json().path("status").asText()
        + ", factors " + first.json().path("factors"));
    scene.check(first.status() == 200 && first.json().path("status").asText().equals("second-factor-required"),
        "a correct password alone opens no session: a second factor is required");
    String code = Totp.DEFAULT.codeAt(aliceTotp, Instant.now());
    Browser.Reply second = alice.post(base, "/v1/session/login/second-factor", Map.of("factor", "totp", "code", code));
    n.step("POST /v1/session/login/second-factor (TOTP " + code + ") -> " + second.status() + ", method "
        + second.json().path("method").asText());
    scene.check(second.status() == 200 && alice.cookies.containsKey("custos_session"),
        "alice is logged in with password and TOTP; her session id is new and lives in an HttpOnly cookie");

    Browser thief = new Browser("someone who watched her type");
    thief.post(base, "/v1/session/login", Map.of("username", "alice", "password", password));
    Browser.Reply replay = thief.post(base, "/v1/session/login/second-factor", Map.of("factor", "totp", "code", code));
    n.step("the same TOTP code again, from another browser -> " + replay.status() + " " + replay.json().path("title").asText());
    scene.check(replay.status() == 401, "every TOTP code is usable once, even with the right password");

    Browser sam = new Browser("sam");
    sam.post(base, "/v1/session/login", Map.of("username", "sam", "password", password));
    Browser.Reply samIn = sam.post(base, "/v1/session/login/second-factor",
        Map.of("factor", "totp", "code", Totp.DEFAULT.codeAt(samTotp, Instant.now())));
    scene.check(samIn.status() == 200, "sam (security) is logged in");
    Browser.Reply contained = sam.post(base, "/v1/staff/alice/suspend", Map.of("reason", "demo: alice is contained"));
    n.step("POST /v1/staff/alice/suspend by sam -> " + contained.status() + ", sessions revoked "
        + contained.json().path("sessionsRevoked").asInt());
    Browser.Reply cut = alice.get(base, "/v1/session");
    n.step("alice's very next request, GET /v1/session -> " + cut.status());
    scene.check(contained.status() == 200 && cut.status() == 401,
        "containment revoked alice's live session at once (every request reads the session from PostgreSQL)");
    Browser.Reply again = new Browser("alice").post(base, "/v1/session/login", Map.of("username", "alice", "password", password));
    scene.check(again.status() == 403, "and she cannot log in again until a security analyst restores her");

    long ledgerAfter = scene.custos().ledger().durableSize();
    n.step("the ledger holds every one of these authentication events: entries " + ledgerBefore + " to " + (ledgerAfter - 1)
        + " are custos.auth/v1 records (two logins, the refused replay, the suspension, the refused login)");
    scene.check(ledgerAfter - ledgerBefore >= 5, "each login, refusal and the suspension was recorded in the ledger");
  }

  /** Enrols a local account for the demo and returns its TOTP secret (the other chapters use it too). */
  static TotpSecret add(Administration admin, StaffAccount account, Password p) throws DemoFailure {
    return enrol(admin, account, p).totp().secret();
  }

  static StaffAdmin.Enrolment enrol(Administration admin, StaffAccount account, Password p) throws DemoFailure {
    return switch (admin.staff().createLocal(account, p, "demo")) {
      case StaffAdmin.Outcome.Done<StaffAdmin.Enrolment> d -> d.value();
      default -> throw new DemoFailure("could not add " + account.id());
    };
  }
}
