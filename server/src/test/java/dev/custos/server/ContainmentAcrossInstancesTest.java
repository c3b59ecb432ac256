package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.TotpSecret;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Custos instances on one PostgreSQL, as behind a load balancer: sessions, TOTP replay and
 * containment are shared. A suspension made on one instance refuses the person's live session there
 * at its very next request, and on the other as soon as it hears the change on the database's
 * change feed (LISTEN/NOTIFY), in milliseconds; the session cache's TTL is only the fallback bound.
 */
class ContainmentAcrossInstancesTest {
  static final String PASSWORD = "marmot cinnamon velvet harbour";

  @TempDir
  static Path temp;

  static EmbeddedPostgres embedded;
  static String adminUrl;
  static String schema;
  static Custos a;
  static Custos b;
  static TotpSecret aliceTotp;
  static TotpSecret samTotp;
  static TotpSecret carolTotp;

  @BeforeAll
  static void start() throws Exception {
    String external = System.getenv("CUSTOS_TEST_DB_URL");
    if (external != null && external.startsWith("jdbc:postgresql:")) {
      adminUrl = external;
    } else {
      embedded = EmbeddedPostgres.builder().setOverrideWorkingDirectory(temp.resolve("pg").toFile()).start();
      adminUrl = embedded.getJdbcUrl("postgres", "postgres");
    }
    schema = "custos_two_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String url = adminUrl + (adminUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    CustosConfig configA = config("a", url);
    CustosConfig configB = config("b", url);
    try (Administration admin = Administration.open(configA, InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(PASSWORD.toCharArray())) {
      aliceTotp = enrol(admin, StaffAccount.create(new StaffId("alice"), "Alice", Set.of(Role.SUPPORT_L1), Optional.of("desk-1"),
          StaffAccount.Origin.LOCAL, Instant.now()), p);
      samTotp = enrol(admin, StaffAccount.create(new StaffId("sam"), "Sam", Set.of(Role.SECURITY_ANALYST), Optional.empty(),
          StaffAccount.Origin.LOCAL, Instant.now()), p);
      carolTotp = enrol(admin, StaffAccount.create(new StaffId("carol"), "Carol", Set.of(Role.APPROVER), Optional.empty(),
          StaffAccount.Origin.LOCAL, Instant.now()), p);
    }
    // Instances of one installation share its keys (a KMS or key file in production): B gets A's.
    java.nio.file.Files.createDirectories(configB.keysDir());
    for (String key : new String[] {"staff-secrets.key", "vault-kek.key", "blind-index.key", "ticket-webhook.key",
        "decoy.key"}) {
      java.nio.file.Files.copy(configA.keysDir().resolve(key), configB.keysDir().resolve(key),
          java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    a = Custos.start(configA, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    b = Custos.start(configB, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
  }

  private static TotpSecret enrol(Administration admin, StaffAccount account, Password p) {
    return ((StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) admin.staff().createLocal(account, p, "test")).value().totp()
        .secret();
  }

  /**
   * Port 0: each instance binds a port the system picks and names it in {@link Custos#baseUri}. (A port
   * picked free for each and bound later was the same for both about once in 10,000 runs: B then could not listen.)
   */
  private static CustosConfig config(String name, String url) throws Exception {
    return ConfigLoader.load(Map.of("data", temp.resolve(name).toString(), "http.port", "0", "db.url", url), Map.of(),
        null, temp);
  }

  @AfterAll
  static void stop() throws Exception {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (adminUrl != null && schema != null) {
      try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
    if (embedded != null) {
      embedded.close();
    }
  }

  @Test
  void suspensionOnOneInstance_refusesTheLiveSessionThereAtOnce_andOnTheOtherWhenItHearsTheChangeFeed() throws Exception {
    URI onA = a.baseUri();
    URI onB = b.baseUri();
    StaffClient alice = new StaffClient();
    // The code alice signs in with, kept: the replay below must send this very code. Computed again
    // later, after a step boundary (30 s) it would be the next step's code, unused and accepted.
    String aliceCode = dev.custos.identity.Totp.DEFAULT.codeAt(aliceTotp, Instant.now());
    assertThat(alice.login(onA, "alice", PASSWORD, aliceCode).status()).isEqualTo(200);
    // One session, valid on both instances.
    assertThat(alice.get(onA, "/v1/session").status()).isEqualTo(200);
    assertThat(alice.get(onB, "/v1/session").status()).isEqualTo(200);

    // The same TOTP code is refused on the other instance (the replay store is shared).
    StaffClient thief = new StaffClient();
    assertThat(thief.post(onB, "/v1/session/login", Map.of("username", "alice", "password", PASSWORD)).status())
        .isEqualTo(200);
    StaffClient.Reply replay = thief.post(onB, "/v1/session/login/second-factor", Map.of("factor", "totp", "code", aliceCode));
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.json().path("type").asText()).isEqualTo("urn:custos:problem:login-failed");

    StaffClient sam = new StaffClient();
    assertThat(sam.login(onB, "sam", PASSWORD, samTotp).status()).isEqualTo(200);
    StaffClient.Reply suspended = sam.post(onB, "/v1/staff/alice/suspend", Map.of("reason", "touched a decoy customer"));
    assertThat(suspended.status()).isEqualTo(200);
    // Her live session and the pending login the replayed code could not complete.
    assertThat(suspended.json().path("sessionsRevoked").asInt()).isEqualTo(2);

    // The very next request of alice's live session on the instance that suspended her is refused;
    // on the other instance, which had just checked her session, as soon as it hears the change feed:
    // well before the session cache's TTL, which would be the bound without the feed.
    assertThat(alice.get(onB, "/v1/session").status()).isEqualTo(401);
    long start = System.nanoTime();
    int status;
    do {
      status = alice.get(onA, "/v1/session").status();
    } while (status == 200 && System.nanoTime() - start < StaffIdentity.SESSION_CACHE_TTL.toNanos() / 2);
    assertThat(status).as("refused on the other instance when it hears the change feed").isEqualTo(401);
    // And she cannot log in again, on either instance.
    StaffClient again = new StaffClient();
    StaffClient.Reply refused = again.post(onA, "/v1/session/login", Map.of("username", "alice", "password", PASSWORD));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().path("type").asText()).isEqualTo("urn:custos:problem:contained");
  }

  @Test
  void unknownAccountAndWrongPassword_getByteIdenticalAnswers() throws Exception {
    StaffClient.Reply unknown = new StaffClient().post(a.baseUri(), "/v1/session/login",
        Map.of("username", "nobody-here", "password", PASSWORD));
    StaffClient.Reply wrong = new StaffClient().post(a.baseUri(), "/v1/session/login",
        Map.of("username", "carol", "password", "not her password at all"));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.raw().body()).isEqualTo(wrong.raw().body());
    assertThat(unknown.raw().headers().allValues("set-cookie")).isEmpty();
  }

  @Test
  void unsafeRequestsWithoutTheCsrfToken_areRefused_andTheCookieIsHttpOnlyAndStrict() throws Exception {
    StaffClient sam = new StaffClient();
    StaffClient.Reply in = sam.login(a.baseUri(), "carol", PASSWORD, carolTotp);
    assertThat(in.status()).isEqualTo(200);
    String setCookie = in.raw().headers().allValues("set-cookie").stream().filter(h -> h.startsWith("custos_session="))
        .findFirst().orElseThrow();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");

    String token = sam.csrf;
    sam.csrf = null;
    StaffClient.Reply forged = sam.post(a.baseUri(), "/v1/session/logout", Map.of());
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.json().path("type").asText()).isEqualTo("urn:custos:problem:csrf");
    sam.csrf = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1); // one character off, never the token itself
    assertThat(sam.post(a.baseUri(), "/v1/session/logout", Map.of()).status()).isEqualTo(403);

    sam.csrf = token;
    assertThat(sam.post(a.baseUri(), "/v1/session/logout", Map.of()).status()).isEqualTo(204);
    assertThat(sam.get(a.baseUri(), "/v1/session").status()).isEqualTo(401);
  }
}
