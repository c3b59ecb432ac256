package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.StaffId;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staff single sign-on over HTTP against a real OpenID provider in the test JVM (navikt
 * mock-oauth2-server): the browser's part is a {@link HttpClient} that follows no redirects and
 * keeps cookies by hand, so each hop and each cookie attribute is visible.
 */
class OidcRoutesTest {
  private static final String ISSUER_ID = "issuer1";
  private static final String CLIENT_ID = "custos-console";

  @TempDir
  static Path temp;

  static MockOAuth2Server provider;
  static Custos custos;
  static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    provider = new MockOAuth2Server();
    provider.start();
    // The redirect URI must be known before Custos listens, so the port is picked free beforehand; the
    // embedded PostgreSQL that Custos.start starts in between picks its own free port and was given the
    // same one about once in 10,000 runs ("cannot listen"): then once more on another port.
    for (int attempt = 1; ; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Map<String, String> env = Map.of("CUSTOS_OIDC_CLIENT_SECRET", "s3cret-client-secret-for-tests");
      Path file = temp.resolve("custos.yaml");
      java.nio.file.Files.writeString(file, """
          oidc:
            issuer: "%s"
            client-id: "%s"
            redirect-uri: "http://127.0.0.1:%d/v1/session/oidc/callback"
            group-roles: "support-agents=support-l1,security-team=security-analyst,security-team=auditor"
          """.formatted(provider.issuerUrl(ISSUER_ID), CLIENT_ID, port));
      try {
        custos = Custos.start(ConfigLoader.load(Map.of("data", temp.resolve("d").toString(), "http.port",
                Integer.toString(port)), env, file, temp),
            InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
        return;
      } catch (StartupException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).startsWith("cannot listen")) {
          throw e;
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    custos.close();
    provider.shutdown();
  }

  /** A browser: cookies by name, no redirects followed. */
  static final class Browser {
    final Map<String, String> cookies = new LinkedHashMap<>();
    final List<String> setCookies = new ArrayList<>();

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
      if (!cookies.isEmpty() && uri.getPort() == custos.port()) {
        b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining("; ")));
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (uri.getPort() == custos.port()) {
        for (String set : r.headers().allValues("set-cookie")) {
          setCookies.add(set);
          String pair = set.split(";", 2)[0];
          String name = pair.substring(0, pair.indexOf('='));
          String value = pair.substring(pair.indexOf('=') + 1);
          if (value.isEmpty()) {
            cookies.remove(name);
          } else {
            cookies.put(name, value);
          }
        }
      }
      return r;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
      return get(custos.baseUri().resolve(path));
    }

    /** Start → provider; returns the callback URI the provider redirects back to. */
    URI toProvider() throws Exception {
      HttpResponse<String> start = get("/v1/session/oidc/start");
      assertThat(start.statusCode()).isEqualTo(302);
      HttpResponse<String> authorize = get(URI.create(start.headers().firstValue("Location").orElseThrow()));
      assertThat(authorize.statusCode()).as("the provider redirects back").isEqualTo(302);
      return URI.create(authorize.headers().firstValue("Location").orElseThrow());
    }

    String cookieHeader(String name) {
      return setCookies.stream().filter(c -> c.startsWith(name + "=")).reduce((a, b) -> b).orElseThrow();
    }
  }

  /**
   * The next token request answers with these claims for {@code subject}, for {@code audience}. The mock takes them
   * at its token endpoint: queue them only for a callback that gets that far.
   */
  static void nextTokens(String subject, String username, List<String> groups, List<String> audience) {
    Map<String, Object> claims = new HashMap<>();
    claims.put("preferred_username", username);
    claims.put("name", "Alex Agent");
    claims.put("groups", groups);
    claims.put("amr", List.of("pwd", "mfa"));
    if (!audience.equals(List.of(CLIENT_ID))) {
      claims.put("aud", audience); // the mock puts the requesting client in an ID token's aud; its extra claims win
    }
    provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, claims, 3600));
  }

  static void nextTokens(String subject, String username, List<String> groups) {
    nextTokens(subject, username, groups, List.of(CLIENT_ID));
  }

  private static final java.util.concurrent.atomic.AtomicInteger NAMES = new java.util.concurrent.atomic.AtomicInteger();

  /** A name no other test of this class signs in with: numbered, so two are never the same (8 random hex digits alone met about once in 4 x 10^8 runs). */
  static String freshName() {
    return "agent-" + NAMES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static long ledgerSize() throws Exception {
    custos.ledger().publish();
    return custos.ledger().latestCheckpoint().checkpoint().size();
  }

  /** The authentication events appended since {@code from}. */
  static List<JsonNode> authEventsSince(long from) throws Exception {
    long to = ledgerSize();
    List<JsonNode> events = new ArrayList<>();
    for (long i = from; i < to; i++) {
      JsonNode e = Json.MAPPER.readTree(custos.ledger().entry(i));
      if (e.path("kind").asText().equals("custos.auth/v1")) {
        events.add(e);
      }
    }
    return events;
  }

  static URI withQuery(URI callback, String name, String value) {
    Map<String, String> q = new LinkedHashMap<>();
    for (String pair : callback.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    q.put(name, value);
    String query = q.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return URI.create(callback.toString().substring(0, callback.toString().indexOf('?') + 1) + query);
  }

  @Test
  void methods_offerSingleSignOn() throws Exception {
    JsonNode m = Json.MAPPER.readTree(new Browser().get("/v1/session/methods").body());

    assertThat(m.path("password").asBoolean()).isTrue();
    assertThat(m.path("oidc").asBoolean()).isTrue();
    assertThat(m.path("oidcStart").asText()).isEqualTo("/v1/session/oidc/start");
  }

  @Test
  void start_redirectsToTheProviderWithPkce_andSealsThePendingLoginInALaxCookie() throws Exception {
    Browser browser = new Browser();

    HttpResponse<String> start = browser.get("/v1/session/oidc/start");

    assertThat(start.statusCode()).isEqualTo(302);
    String location = start.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(provider.issuerUrl(ISSUER_ID).toString())
        .contains("code_challenge_method=S256").contains("state=").contains("nonce=");
    String cookie = browser.cookieHeader("custos_oidc");
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").contains("Max-Age=300")
        .contains("Path=/v1/session/oidc").doesNotContain("Secure");
    assertThat(browser.cookies.get("custos_oidc")).doesNotContain("oidc1.");
  }

  @Test
  void fullSignIn_opensASessionThatWorksOnGetSession() throws Exception {
    String name = freshName();
    Browser browser = new Browser();
    URI callback = browser.toProvider();
    nextTokens("sub-" + name, name, List.of("everyone", "support-agents"));
    long before = ledgerSize();

    HttpResponse<String> done = browser.get(callback);

    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(done.body()).contains("<meta http-equiv=\"refresh\" content=\"0;url=/login\">")
        .contains("data-outcome=\"signed-in\"").doesNotContain("<script");
    assertThat(browser.cookieHeader("custos_session")).contains("HttpOnly").contains("SameSite=Strict");
    assertThat(browser.cookies).doesNotContainKey("custos_oidc");
    JsonNode session = Json.MAPPER.readTree(browser.get("/v1/session").body());
    assertThat(session.path("staff").asText()).isEqualTo(name);
    assertThat(session.path("method").asText()).isEqualTo("oidc");
    assertThat(session.path("roles").toString()).isEqualTo("[\"support-l1\"]");
    assertThat(session.has("mfaAt")).isTrue();
    List<JsonNode> events = authEventsSince(before);
    assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("staff.created", "login.succeeded");
    assertThat(events.getLast().path("detail").path("factor").asText()).isEqualTo("oidc");
  }

  @Test
  void laterSignIn_withOtherGroups_getsTheirRoles() throws Exception {
    String name = freshName();
    Browser first = new Browser();
    URI callback = first.toProvider();
    nextTokens("sub-" + name, name, List.of("support-agents"));
    assertThat(first.get(callback).statusCode()).isEqualTo(200);

    Browser second = new Browser();
    URI again = second.toProvider();
    nextTokens("sub-" + name, name, List.of("security-team"));
    assertThat(second.get(again).statusCode()).isEqualTo(200);

    JsonNode session = Json.MAPPER.readTree(second.get("/v1/session").body());
    assertThat(session.path("roles").toString()).isEqualTo("[\"auditor\",\"security-analyst\"]");
  }

  @Test
  void tamperedState_isRefused_andRecorded() throws Exception {
    // No tokens are queued: the refusal comes before the token endpoint (the mock would keep them for the next test).
    Browser browser = new Browser();
    URI callback = browser.toProvider();
    long before = ledgerSize();

    HttpResponse<String> r = browser.get(withQuery(callback, "state", "x" + "A".repeat(42)));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("data-outcome=\"not-verified\"").doesNotContain("Exception");
    assertThat(browser.cookies).doesNotContainKey("custos_session").doesNotContainKey("custos_oidc");
    assertThat(authEventsSince(before)).extracting(e -> e.path("detail").path("reason").asText())
        .containsExactly("state-mismatch");
  }

  @Test
  void tamperedPendingCookie_isRefused() throws Exception {
    Browser browser = new Browser();
    URI callback = browser.toProvider();
    String sealed = browser.cookies.get("custos_oidc");
    char flipped = sealed.charAt(20) == 'A' ? 'B' : 'A';
    browser.cookies.put("custos_oidc", sealed.substring(0, 20) + flipped + sealed.substring(21));
    long before = ledgerSize();

    HttpResponse<String> r = browser.get(callback);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(authEventsSince(before)).extracting(e -> e.path("detail").path("reason").asText())
        .containsExactly("no-pending-login");
  }

  @Test
  void callbackWithoutThePendingCookie_isRefused() throws Exception {
    Browser browser = new Browser();
    URI callback = browser.toProvider();
    browser.cookies.clear(); // another browser, or an attacker's link

    assertThat(browser.get(callback).statusCode()).isEqualTo(401);
  }

  @Test
  void idTokenForAnotherAudience_isRefused() throws Exception {
    String name = freshName();
    Browser browser = new Browser();
    URI callback = browser.toProvider();
    nextTokens("sub-" + name, name, List.of("support-agents"), List.of("payments-backoffice"));
    long before = ledgerSize();

    HttpResponse<String> r = browser.get(callback);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(browser.cookies).doesNotContainKey("custos_session");
    JsonNode failed = authEventsSince(before).getLast();
    assertThat(failed.path("event").asText()).isEqualTo("login.failed");
    assertThat(failed.path("detail").path("reason").asText()).isEqualTo("invalid-id-token");
    assertThat(failed.path("detail").path("problem").asText()).isEqualTo("audience");
    assertThat(custos.identity().directory.find(new StaffId(name))).isEmpty();
  }

  @Test
  void suspendedStaff_isRefused() throws Exception {
    String name = freshName();
    Browser first = new Browser();
    URI callback = first.toProvider();
    nextTokens("sub-" + name, name, List.of("support-agents"));
    assertThat(first.get(callback).statusCode()).isEqualTo(200);
    custos.identity().admin.suspend(new StaffId(name), "contained in a test", "security");

    Browser second = new Browser();
    URI again = second.toProvider();
    nextTokens("sub-" + name, name, List.of("support-agents"));
    HttpResponse<String> r = second.get(again);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("data-outcome=\"suspended\"");
    assertThat(second.cookies).doesNotContainKey("custos_session");
    assertThat(first.get("/v1/session").statusCode()).as("the first session died with the suspension").isEqualTo(401);
  }

  @Test
  void renamedAtTheProvider_isRefused() throws Exception {
    String name = freshName();
    Browser first = new Browser();
    URI callback = first.toProvider();
    nextTokens("sub-" + name, name, List.of("support-agents"));
    assertThat(first.get(callback).statusCode()).isEqualTo(200);

    Browser second = new Browser();
    URI again = second.toProvider();
    nextTokens("sub-" + name, "security-lead", List.of("support-agents"));
    HttpResponse<String> r = second.get(again);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("data-outcome=\"account-conflict\"");
  }
}
