package dev.custos.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.custos.access.CanonicalJson;
import dev.custos.identity.Scope;
import dev.custos.ledger.NoteSigner;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer page in a real Chromium: it verifies a real access log with WebCrypto (checkpoint
 * signature, leaf hashes, inclusion and consistency proofs, commitment), and a tampered entry, proof,
 * history or key shows a failure.
 */
class CustomerAccessLogE2ETest {
  static final String ISSUER = "https://login.exchange.example";
  static final String AUDIENCE = "custos-transparency";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  static Path temp;
  static Custos custos;
  static Playwright playwright;
  static com.microsoft.playwright.Browser browser;
  static ECKey key;
  static String commitment;

  @BeforeAll
  static void start() throws Exception {
    Browser.assumeAvailable();
    key = new ECKeyGenerator(Curve.P_256).keyID("login-1").generate();
    Path jwks = temp.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    CustosConfig config = ConfigLoader.load(Map.of("data", temp.resolve("data").toString(), "http.port", "0"),
        Map.of("CUSTOS_CUSTOMER_JWKS", jwks.toString(), "CUSTOS_CUSTOMER_ISSUER", ISSUER,
            "CUSTOS_CUSTOMER_AUDIENCE", AUDIENCE), null, temp);
    String serviceToken;
    try (Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault())) {
      serviceToken = admin.issueToken("backend", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "test").token()
          .revealText();
    }
    custos = Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
    HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(custos.baseUri().resolve("/v1/customers/cust-ada"))
        .header("Authorization", "Bearer " + serviceToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"fields\":{\"name\":\"Ada Lovelace\",\"email\":\"ada@example.com\","
            + "\"phone\":\"+44 20 7946 0018\"}}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    commitment = JSON.readTree(apiLog().body()).get("commitment").asText();
    // What the access broker writes for a view, a reveal and a refused attempt (same members, canonical JSON).
    append(access("view", "staff-alice", "permit", Map.of("email", "email", "name", "none", "phone", "last-4")));
    append(access("reveal", "staff-alice", "permit", Map.of("phone", "none")));
    append(access("view", "staff-mallory", "deny", Map.of()));
    custos.ledger().publish();
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = Browser.launch(playwright);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (custos != null) {
      custos.close();
    }
  }

  static Map<String, Object> access(String action, String staff, String decision, Map<String, String> fields) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("kind", "custos.access/v1");
    e.put("at", Instant.now().toString());
    e.put("staff", staff);
    e.put("session", "s-" + staff);
    e.put("roles", List.of("support-l1"));
    e.put("action", action);
    e.put("purpose", Map.of("type", "ticket", "id", "T-4712"));
    e.put("customer", commitment);
    e.put("decision", decision);
    e.put("rules", List.of("request", "ticket-assigned"));
    if (decision.equals("permit")) {
      e.put("fields", fields);
      e.put("obligations", List.of());
    } else {
      e.put("deny", "ticket-not-assigned");
    }
    return e;
  }

  static void append(Map<String, Object> entry) throws Exception {
    custos.ledger().append(CanonicalJson.encode(entry));
  }

  static String token() throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("login-1").build(),
        new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("cust-ada")
            .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(900))).build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  static HttpResponse<String> apiLog() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(custos.baseUri().resolve("/v1/me/access-log"))
        .header("Authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Opens the page with the token in the fragment and waits for the verdict. */
  static String open(Page page, List<String> problems) throws Exception {
    page.onConsoleMessage(m -> {
      if (m.type().equals("error")) {
        problems.add(m.text());
      }
    });
    page.onPageError(problems::add);
    page.navigate("about:blank"); // a fragment-only change would not reload the page
    page.navigate(custos.baseUri().resolve("/me").toString() + "#token=" + token());
    page.waitForSelector("#summary:not([data-state='pending'])");
    assertThat((String) page.evaluate("location.href")).as("the token is dropped from the address bar").doesNotContain("token");
    return page.locator("#summary").getAttribute("data-state");
  }

  /** Serves the real access log with {@code change} applied to its JSON. */
  static void tamper(Page page, UnaryOperator<ObjectNode> change) {
    page.route("**/v1/me/access-log**", route -> {
      APIResponse real = route.fetch();
      try {
        ObjectNode log = (ObjectNode) JSON.readTree(real.text());
        route.fulfill(new Route.FulfillOptions().setResponse(real).setBody(JSON.writeValueAsString(change.apply(log))));
      } catch (Exception e) {
        route.abort();
      }
    });
  }

  @Test
  void realLog_verifiesInTheBrowser_andShowsWhoSawWhat() throws Exception {
    try (BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setViewportSize(1100, 760)); Page page = context.newPage()) {
      List<String> problems = new ArrayList<>();
      assertThat(open(page, problems)).isEqualTo("ok");
      Locator rows = page.locator("#rows tr");
      assertThat(rows.count()).isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        assertThat(rows.nth(i).getAttribute("data-verified")).isEqualTo("true");
      }
      assertThat(rows.nth(0).textContent()).contains("Agent ").contains("your support ticket T-4712")
          .contains("name (in clear)").contains("email (masked)").doesNotContain("staff-alice");
      assertThat(rows.nth(1).textContent()).contains("phone (revealed)");
      assertThat(rows.nth(2).textContent()).contains("refused");
      assertThat(page.locator("#checks").textContent()).contains("Checkpoint signed by").contains("Your commitment recomputed")
          .contains("3 of 3 entries verified");
      assertThat(problems).as("console errors and CSP violations").isEmpty();
      Path shot = Path.of("..", "docs", "screenshots", "customer-access-log.png");
      Files.createDirectories(shot.getParent());
      page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
      assertThat(Files.size(shot)).isPositive();

      // Second visit from the same browser: the log grew, and the page proves it only grew.
      append(access("view", "staff-alice", "permit", Map.of("email", "email")));
      custos.ledger().publish();
      assertThat(open(page, problems)).isEqualTo("ok");
      assertThat(page.locator("#checks").textContent()).contains("The log only grew since your last visit");
      assertThat(page.locator("#rows tr").count()).isEqualTo(4);
    }
  }

  @Test
  void tamperedEntry_failsItsLine() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      tamper(page, log -> {
        ObjectNode item = (ObjectNode) log.get("items").get(1);
        String entry = new String(Base64.getDecoder().decode(item.get("entry").asText()), StandardCharsets.UTF_8);
        item.put("entry", Base64.getEncoder().encodeToString(entry.replace("\"phone\":\"none\"", "\"phone\":\"last-4\"")
            .getBytes(StandardCharsets.UTF_8)));
        return log;
      });
      assertThat(open(page, new ArrayList<>())).isEqualTo("failed");
      Locator bad = page.locator("#rows tr[data-verified='false']");
      assertThat(bad.count()).isEqualTo(1);
      assertThat(bad.first().textContent()).contains("inclusion proof does not lead to the signed checkpoint");
    }
  }

  @Test
  void tamperedInclusionProof_failsItsLine() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      tamper(page, log -> {
        ArrayNode path = (ArrayNode) log.get("items").get(0).get("inclusion");
        path.set(0, JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(new byte[32])));
        return log;
      });
      assertThat(open(page, new ArrayList<>())).isEqualTo("failed");
      assertThat(page.locator("#rows tr").first().getAttribute("data-verified")).isEqualTo("false");
    }
  }

  @Test
  void summaryThatDiffersFromTheSignedEntry_isCaught() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      tamper(page, log -> {
        ((ObjectNode) log.get("items").get(2)).put("decision", "permit"); // hide that it was an attempt... or claim one
        return log;
      });
      assertThat(open(page, new ArrayList<>())).isEqualTo("failed");
      assertThat(page.locator("#rows tr").nth(2).textContent()).contains("differs from the signed entry");
    }
  }

  @Test
  void rewrittenHistory_failsTheConsistencyCheck() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      page.navigate(custos.baseUri().resolve("/me").toString());
      // This browser "saw" a 2-entry log whose root is not the real one: a fork, or history rewritten since.
      page.evaluate("c => { localStorage.setItem('custos.lastCommitment', c);"
          + " localStorage.setItem('custos.seen.' + c, JSON.stringify({size: '2', root: btoa('x'.repeat(32))})); }", commitment);
      assertThat(open(page, new ArrayList<>())).isEqualTo("failed");
      assertThat(page.locator("#checks").textContent()).contains("NOT consistent with the one you saw last");
    }
  }

  static final NoteSigner WITNESS = NoteSigner.generate(dev.custos.ledger.SignatureType.COSIGNATURE_V1,
      "auditor.example/w1", new java.security.SecureRandom());

  /**
   * The served log with a cosignature line by {@link #WITNESS} over its checkpoint ({@code shift} seconds
   * added to the signed timestamp: 0 for a valid line) and {@link #WITNESS} listed as a configured witness.
   */
  static ObjectNode cosigned(ObjectNode log, long shift) {
    String text = log.get("checkpoint").asText();
    String body = text.substring(0, text.indexOf("\n\n") + 1);
    dev.custos.ledger.Checkpoint cp = dev.custos.ledger.Checkpoint.parse(body).orThrow();
    dev.custos.ledger.Cosignature c = dev.custos.ledger.Cosignature.sign(cp, WITNESS, Instant.now());
    dev.custos.ledger.Cosignature line = new dev.custos.ledger.Cosignature(c.keyName(), c.keyHash(),
        c.timestamp() + shift, c.signature());
    log.put("checkpoint", text + line.line());
    ArrayNode witnesses = log.putArray("witnesses");
    witnesses.addObject().put("name", WITNESS.name()).put("key", WITNESS.verifier().encoded());
    return log;
  }

  @Test
  void cosignatureOfAPublishedWitness_isVerifiedInTheBrowser_andAnUnknownOneListed() throws Exception {
    NoteSigner stranger = NoteSigner.generate(dev.custos.ledger.SignatureType.COSIGNATURE_V1, "stranger.example/w",
        new java.security.SecureRandom());
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      tamper(page, log -> {
        ObjectNode out = cosigned(log, 0);
        String text = out.get("checkpoint").asText();
        String body = text.substring(0, text.indexOf("\n\n") + 1);
        out.put("checkpoint", text + dev.custos.ledger.Cosignature.sign(
            dev.custos.ledger.Checkpoint.parse(body).orThrow(), stranger, Instant.now()).line());
        return out;
      });
      List<String> problems = new ArrayList<>();
      assertThat(open(page, problems)).isEqualTo("ok");
      String hash = WITNESS.verifier().encoded().split("\\+")[1];
      assertThat(page.locator("#checks li.ok").allTextContents()).anyMatch(t -> t.startsWith(
          "Cosigned by witness auditor.example/w1 (key hash " + hash + ", published by the exchange) at "));
      assertThat(page.locator("#checks li.note").allTextContents()).anyMatch(t -> t.startsWith(
          "Cosignature line by stranger.example/w (key hash " + stranger.verifier().encoded().split("\\+")[1] + ")")
          && t.endsWith("unknown witness, not checked"));
      assertThat(problems).isEmpty();
    }
  }

  @Test
  void cosignatureWithAChangedTimestamp_failsThePage() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      tamper(page, log -> cosigned(log, -3600));
      assertThat(open(page, new ArrayList<>())).isEqualTo("failed");
      assertThat(page.locator("#checks li.bad").allTextContents()).anyMatch(t -> t.startsWith(
          "The cosignature by witness auditor.example/w1") && t.contains("does NOT verify"));
    }
  }

  @Test
  void witnessKeyTheCustomerPinned_withoutItsCosignature_failsThePage() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      page.navigate(custos.baseUri().resolve("/me").toString());
      page.fill("#witness-keys", WITNESS.verifier().encoded());
      page.fill("#token", token());
      page.click("#load");
      page.waitForSelector("#summary:not([data-state='pending'])");
      assertThat(page.locator("#summary").getAttribute("data-state")).isEqualTo("failed");
      assertThat(page.locator("#checks li.bad").allTextContents()).anyMatch(t -> t.startsWith(
          "No cosignature by witness auditor.example/w1") && t.contains("as you gave it"));
    }
  }

  @Test
  void logSignedByAnotherKey_failsTheCheckpoint() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      NoteSigner other = NoteSigner.generate("custos.example/other", new java.security.SecureRandom());
      page.navigate(custos.baseUri().resolve("/me").toString());
      page.evaluate("k => localStorage.setItem('custos.vkey', k)", other.verifier().encoded());
      assertThat(open(page, new ArrayList<>())).isEqualTo("failed");
      assertThat(page.locator("#checks").textContent()).contains("another verifier key");
      assertThat(page.locator("#rows tr[data-verified='true']").count()).isZero();
    }
  }

  /**
   * The page's own RFC 9162 code against the ledger module's proofs for every tree of 1 to 40
   * leaves: every inclusion and consistency proof verifies, and every proof with one hash changed,
   * or with another root, does not.
   */
  @Test
  void pageProofCode_agreesWithTheLedgerModule_onEveryTreeUpTo40() {
    List<dev.custos.ledger.Hash> leaves = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      leaves.add(dev.custos.ledger.Merkle.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
    }
    List<Map<String, Object>> inclusion = new ArrayList<>();
    List<Map<String, Object>> consistency = new ArrayList<>();
    for (int n = 1; n <= leaves.size(); n++) {
      String root = dev.custos.ledger.Merkle.root(leaves.subList(0, n)).base64();
      for (int i = 0; i < n; i++) {
        List<String> path = dev.custos.ledger.InclusionProof.fromLeaves(leaves, i, n).path().stream()
            .map(dev.custos.ledger.Hash::base64).toList();
        inclusion.add(Map.of("i", i, "n", n, "leaf", leaves.get(i).base64(), "path", path, "root", root, "ok", true));
        if (!path.isEmpty()) {
          inclusion.add(Map.of("i", i, "n", n, "leaf", leaves.get(i).base64(), "path", flipFirst(path), "root", root,
              "ok", false));
        }
      }
      for (int m = 1; m <= n; m++) {
        String old = dev.custos.ledger.Merkle.root(leaves.subList(0, m)).base64();
        List<String> path = dev.custos.ledger.ConsistencyProof.fromLeaves(leaves, m, n).path().stream()
            .map(dev.custos.ledger.Hash::base64).toList();
        consistency.add(Map.of("m", m, "n", n, "path", path, "old", old, "root", root, "ok", true));
        consistency.add(Map.of("m", m, "n", n, "path", path, "old", leaves.get(0).base64(), "root", root,
            "ok", m == 1)); // the first leaf IS the root of the 1-leaf tree
        if (!path.isEmpty()) {
          consistency.add(Map.of("m", m, "n", n, "path", flipFirst(path), "old", old, "root", root, "ok", false));
        }
      }
    }
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      page.navigate(custos.baseUri().resolve("/me").toString());
      @SuppressWarnings("unchecked")
      List<Object> wrongInclusion = (List<Object>) page.evaluate("async (cases) => { const out = [];"
          + " for (const c of cases) { const r = await verifyInclusion(c.i, c.n, b64decode(c.leaf), c.path.map(b64decode),"
          + " b64decode(c.root)); if (r !== c.ok) out.push(c.i + '/' + c.n + ' expected ' + c.ok); } return out; }", inclusion);
      @SuppressWarnings("unchecked")
      List<Object> wrongConsistency = (List<Object>) page.evaluate("async (cases) => { const out = [];"
          + " for (const c of cases) { const r = await verifyConsistency(c.m, c.n, c.path.map(b64decode), b64decode(c.old),"
          + " b64decode(c.root)); if (r !== c.ok) out.push(c.m + '->' + c.n + ' expected ' + c.ok); } return out; }",
          consistency);
      assertThat(inclusion).hasSizeGreaterThan(800);
      assertThat(wrongInclusion).isEmpty();
      assertThat(wrongConsistency).isEmpty();
    }
  }

  private static List<String> flipFirst(List<String> path) {
    List<String> out = new ArrayList<>(path);
    byte[] b = Base64.getDecoder().decode(out.get(0));
    b[0] ^= 1;
    out.set(0, Base64.getEncoder().encodeToString(b));
    return out;
  }
}
