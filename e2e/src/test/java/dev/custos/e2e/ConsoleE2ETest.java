package dev.custos.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.custos.access.Role;
import dev.custos.identity.Totp;
import dev.custos.incident.WatermarkCode;
import dev.custos.server.Watermark;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real Chromium under its strict CSP: an agent's day (passkey sign-in, queue, masked
 * customer, a reveal with a reason and a step-up, a customer without a ticket refused), security's
 * response to a scripted insider (alert, contain, the insider's next click ends on "session ended"),
 * four-eyes approval, the watermark read back from a screenshot scaled to 50%, and axe-core on every
 * main screen. Screenshots go to {@code docs/screenshots/}; server times (the {@code Server-Timing}
 * header of each page) are printed.
 */
class ConsoleE2ETest {
  @TempDir
  static Path temp;

  static ConsoleWorld world;
  static Playwright playwright;
  static com.microsoft.playwright.Browser browser;
  static String axe;
  static final Map<String, List<Double>> serverTimes = new ConcurrentHashMap<>();
  static final Path SCREENSHOTS = Path.of("..", "docs", "screenshots");

  @BeforeAll
  static void start() throws Exception {
    Browser.assumeAvailable();
    Map<String, Role> staff = new LinkedHashMap<>();
    staff.put("alice-agent", Role.SUPPORT_L1);
    staff.put("bob-agent", Role.SUPPORT_L1);
    staff.put("mallory-insider", Role.SUPPORT_L2);
    staff.put("sam-security", Role.SECURITY_ANALYST);
    staff.put("sue-security", Role.SECURITY_ANALYST);
    staff.put("petra-approver", Role.APPROVER);
    staff.put("ivan-insider", Role.SUPPORT_L2);
    staff.put("ines-security", Role.SECURITY_ANALYST);
    world = new ConsoleWorld(temp, staff, Map.of("alice-agent", "desk-1", "bob-agent", "desk-1",
        "mallory-insider", "desk-2", "sam-security", "security", "sue-security", "security",
        "petra-approver", "operations", "ivan-insider", "desk-3", "ines-security", "security"));
    world.customer("cust-ada", "Ada Lovelace", "ada.lovelace@example.com", "+44 20 7946 0018", "QQ123456C");
    world.customer("cust-bob", "Bob Babbage", "bob@example.com", "+44 20 7946 0999", "QQ654321D");
    for (int i = 0; i < 40; i++) {
      world.customer("cust-real-" + i, "Customer " + i, "c" + i + "@example.com", "+44 20 7946 " + (1000 + i),
          "QQ" + (100000 + i) + "A");
    }
    for (int i = 0; i < 4; i++) {
      world.customer("cust-leak-" + i, "Leaked " + i, "leak" + i + "@example.com", "+44 20 7946 " + (2000 + i),
          "QQ" + (200000 + i) + "B");
    }
    world.ticket("T-1001", "cust-ada", "alice-agent");
    world.ticket("T-1002", "cust-real-1", "alice-agent");
    world.ticket("T-2001", "cust-bob", "bob-agent");
    world.ticket("T-3001", "cust-real-2", "mallory-insider");
    try (InputStream in = ConsoleE2ETest.class.getResourceAsStream("/axe/axe.min.js")) {
      axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.createDirectories(SCREENSHOTS);
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
    if (world != null) {
      world.close();
    }
    List<String> lines = new ArrayList<>();
    serverTimes.forEach((route, times) -> {
      List<Double> sorted = new ArrayList<>(times);
      Collections.sort(sorted);
      lines.add(String.format(java.util.Locale.ROOT, "%-45s n=%3d median=%6.1f ms max=%6.1f ms", route, sorted.size(),
          sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)));
    });
    Collections.sort(lines);
    System.out.println("console server times (Server-Timing app;dur):\n  " + String.join("\n  ", lines));
  }

  /** A browser context with problems collected, server times recorded and axe-core available. */
  record Session(BrowserContext context, Page page, List<String> problems) implements AutoCloseable {
    @Override
    public void close() {
      context.close();
    }
  }

  static Session session() {
    BrowserContext context = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setViewportSize(1280, 860));
    context.addInitScript(axe); // init scripts are not governed by the page's CSP
    Page page = context.newPage();
    List<String> problems = new CopyOnWriteArrayList<>();
    page.onConsoleMessage(m -> {
      boolean expected = m.location().contains("/favicon.ico")
          || (m.location().contains("/v1/session") && m.text().contains("401"))
          || m.text().contains("status of 401") || m.text().contains("status of 403") || m.text().contains("status of 404")
          || m.text().contains("status of 429");
      if (m.type().equals("error") && !expected) {
        problems.add(m.text() + " at " + m.location());
      }
    });
    page.onPageError(problems::add);
    page.onResponse(ConsoleE2ETest::recordTime);
    return new Session(context, page, problems);
  }

  private static final Pattern DUR = Pattern.compile("app;dur=([0-9.]+)");

  static void recordTime(Response r) {
    String timing = r.headers().get("server-timing");
    if (timing == null) {
      return;
    }
    Matcher m = DUR.matcher(timing);
    if (m.find()) {
      String path = java.net.URI.create(r.url()).getPath().replaceAll("/T-[0-9]+", "/{ticket}")
          .replaceAll("/alert-[0-9]+", "/{alert}").replaceAll("/staff/[a-z\\-]+/", "/staff/{id}/")
          .replaceAll("/approvals/[A-Za-z0-9\\-]{8,}", "/approvals/{id}");
      serverTimes.computeIfAbsent(r.request().method() + " " + path, k -> new CopyOnWriteArrayList<>())
          .add(Double.parseDouble(m.group(1)));
    }
  }

  static String addVirtualAuthenticator(Session s) {
    CDPSession cdp = s.context().newCDPSession(s.page());
    cdp.send("WebAuthn.enable");
    JsonObject options = new JsonObject();
    options.addProperty("protocol", "ctap2");
    options.addProperty("transport", "internal");
    options.addProperty("hasResidentKey", true);
    options.addProperty("hasUserVerification", true);
    options.addProperty("isUserVerified", true);
    options.addProperty("automaticPresenceSimulation", true);
    JsonObject args = new JsonObject();
    args.add("options", options);
    return cdp.send("WebAuthn.addVirtualAuthenticator", args).get("authenticatorId").getAsString();
  }

  /**
   * Signs in at /login?continue=/console with the password and a TOTP code; lands in the console. A
   * TOTP code is accepted once, so each test signs in people no other test signs in.
   */
  static void signInWithTotp(Page page, String user) {
    page.navigate(world.url("/login?continue=/console"));
    page.fill("#username", user);
    page.fill("#password", ConsoleWorld.PASSWORD);
    page.click("#password-submit");
    page.waitForSelector("#code-form", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    page.fill("#code", Totp.DEFAULT.codeAt(world.totp.get(user), Instant.now()));
    page.click("#code-submit");
    page.waitForURL("**/console/**");
  }

  /** axe-core on the current page: no serious or critical violation. */
  static void assertAccessible(Page page, String screen) {
    String result = (String) page.evaluate("async () => JSON.stringify((await axe.run(document, "
        + "{resultTypes: ['violations']})).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, "
        + "help: v.help})))");
    JsonArray violations = JsonParser.parseString(result).getAsJsonArray();
    List<String> bad = new ArrayList<>();
    violations.forEach(v -> {
      String impact = v.getAsJsonObject().get("impact").isJsonNull() ? "" : v.getAsJsonObject().get("impact").getAsString();
      if (impact.equals("serious") || impact.equals("critical")) {
        bad.add(v.toString());
      }
    });
    assertThat(bad).as("serious or critical axe-core violations on " + screen).isEmpty();
  }

  static void shot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
  }

  static String sessionHandle(Page page) {
    String json = (String) page.evaluate("async () => JSON.stringify(await (await fetch('/v1/session')).json())");
    return JsonParser.parseString(json).getAsJsonObject().get("session").getAsString();
  }

  @Test
  void withoutASession_theConsoleSendsToSignIn() {
    try (Session s = session()) {
      s.page().navigate(world.url("/console/queue"));
      assertThat(s.page().url()).endsWith("/login?continue=/console");
      assertThat(s.problems()).isEmpty();
    }
  }

  @Test
  void agent_passkeySignIn_queue_maskedCustomer_revealWithReasonAndStepUp_refusedWithoutTicket() throws Exception {
    try (Session s = session()) {
      Page page = s.page();
      String authenticator = addVirtualAuthenticator(s);
      // Enrol a passkey after a TOTP sign-in (on the sign-in page), sign out.
      page.navigate(world.url("/login"));
      page.fill("#username", "alice-agent");
      page.fill("#password", ConsoleWorld.PASSWORD);
      page.click("#password-submit");
      page.waitForSelector("#code-form", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.fill("#code", Totp.DEFAULT.codeAt(world.totp.get("alice-agent"), Instant.now()));
      page.click("#code-submit");
      page.waitForSelector("#signed-in", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.click("#register-key");
      page.waitForCondition(() -> "Security key added.".equals(page.textContent("#message")));
      page.click("#logout");
      page.waitForSelector("#password-form", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));

      // 1. The console sends an unauthenticated browser to sign in; password + passkey bring it back.
      page.navigate(world.url("/console"));
      assertThat(page.url()).contains("/login?continue=/console");
      page.fill("#username", "alice-agent");
      page.fill("#password", ConsoleWorld.PASSWORD);
      page.click("#password-submit");
      page.waitForSelector("#use-webauthn", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.click("#use-webauthn");
      page.waitForURL("**/console/queue");
      Instant signedIn = Instant.now();

      // 2. The queue: her two open tickets, not Bob's.
      assertThat(page.locator("#queue tbody tr").count()).isEqualTo(2);
      assertThat(page.textContent("#queue")).contains("T-1001", "T-1002").doesNotContain("T-2001");
      assertAccessible(page, "agent queue");
      shot(page, "console-agent-queue");

      // 3. The ticket's customer, masked by role, with the ledger index of the view.
      page.click("text=T-1001");
      page.waitForSelector("#customer");
      assertThat(page.textContent("#field-email .value")).isNotEqualTo("ada.lovelace@example.com").contains("@");
      assertThat(page.textContent("#field-phone .value")).doesNotContain("7946 0018");
      assertThat(Long.parseLong(page.textContent("#ledger-index").strip())).isPositive();
      assertThat(page.url()).doesNotContain("cust-ada").doesNotContain("ada.lovelace");
      var headers = page.waitForResponse(r -> r.url().endsWith("/console/tickets/T-1001"), () -> page.reload()).allHeaders();
      assertThat(headers.get("cache-control")).isEqualTo("no-store");
      assertThat(headers.get("content-security-policy")).isEqualTo("default-src 'none'; script-src 'self'; "
          + "style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
          + "base-uri 'none'");
      assertAccessible(page, "customer view");
      shot(page, "console-customer-view");

      // 4. The watermark names this session, and survives a screenshot scaled to 50%.
      String code = WatermarkCode.of(sessionHandle(page));
      assertThat(page.textContent("#session-code")).isEqualTo(code);
      BufferedImage full = ImageIO.read(new ByteArrayInputStream(page.screenshot()));
      BufferedImage half = scale(full, 0.5);
      ImageIO.write(half, "png", Path.of("target", "watermark-half.png").toFile());
      Decoded d = decode(half, 0.5);
      System.out.printf("watermark at 50%%: read %s (session %s) from %d tiles, weakest bit agreement %.2f%n",
          d.code(), code, d.tiles(), d.weakestAgreement());
      assertThat(d.code()).as("code read back from the dots of a 50%% screenshot").isEqualTo(code);

      // 5. Reveal: the second factor of the sign-in is older than the window now, so the page asks for a step-up.
      long wait = ConsoleWorld.MFA_WINDOW.toMillis() + 500 - java.time.Duration.between(signedIn, Instant.now()).toMillis();
      if (wait > 0) {
        page.waitForTimeout(wait);
      }
      page.reload();
      assertThat(page.locator("#reason-phone").count()).as("L1 may not reveal a phone: no form offered").isZero();
      page.fill("#reason-email", "customer asks which e-mail address the statements go to");
      page.click("#field-email button[type=submit]");
      page.waitForSelector("#step-up", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.click("#step-up-webauthn");
      page.waitForSelector("#revealed");
      assertThat(page.textContent("#revealed-email .value")).isEqualTo("ada.lovelace@example.com");
      assertThat(Long.parseLong(page.textContent("#ledger-index").strip())).isPositive();
      JsonObject creds = new JsonObject();
      creds.addProperty("authenticatorId", authenticator);
      assertThat(s.context().newCDPSession(page).send("WebAuthn.getCredentials", creds).getAsJsonArray("credentials"))
          .as("the passkey that signed in and stepped up").hasSize(1);

      // 6. A customer without a ticket of hers: refused, in words, with the refusal's ledger index.
      page.navigate(world.url("/console/tickets/T-2001"));
      assertThat(page.textContent("#notice-title")).isEqualTo("No ticket of yours for this customer");
      assertThat(page.textContent("#notice-message")).contains("open ticket assigned to you");
      assertThat(page.content()).doesNotContain("Bob Babbage").doesNotContain("bob@example.com");
      assertThat(Long.parseLong(page.textContent("#ledger-index").strip())).isPositive();

      // 7. Search posts its key; the answer is masked.
      page.click("a[href='/console/search']");
      page.fill("#search-value", "ada.lovelace@example.com");
      page.click("#search-form button[type=submit]");
      page.waitForSelector("table.stub");
      assertThat(page.url()).doesNotContain("ada.lovelace");
      assertThat(page.textContent("table.stub")).doesNotContain("ada.lovelace@example.com");
      assertAccessible(page, "search");

      // 8. A form without its CSRF token is refused.
      Object status = page.evaluate("async () => (await fetch('/console/tickets/T-1001/reveal', {method: 'POST', "
          + "headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'field=phone&reason=no+token+here+at+all'})).status");
      assertThat(((Number) status).intValue()).isEqualTo(403);
      assertThat(s.problems()).as("console errors and CSP violations").isEmpty();
    }
  }

  @Test
  void security_seesTheScriptedInsidersAlert_containsThem_andTheirNextClickEndsTheSession() throws Exception {
    try (Session insider = session(); Session analyst = session()) {
      signInWithTotp(analyst.page(), "sam-security");
      // The insider signs in and scripts break-glass reads of customers without tickets from the console page.
      signInWithTotp(insider.page(), "mallory-insider");
      insider.page().navigate(world.url("/console/queue"));
      int seen = 0;
      for (int i = 0; i < 40; i++) {
        Object st = insider.page().evaluate("async (id) => (await fetch('/v1/access/break-glass', {method: 'POST', "
            + "headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector("
            + "'meta[name=custos-csrf]').content}, body: JSON.stringify({customer: id, reason: "
            + "'customer locked out after a phone change, verifying identity'})})).status", "cust-real-" + (i + 3));
        if (((Number) st).intValue() != 200) {
          break;
        }
        seen++;
        Object alerted = analyst.page().evaluate("async () => JSON.stringify(await (await fetch('/v1/alerts')).json())"
            + ".includes('mallory-insider')");
        if (Boolean.TRUE.equals(alerted)) {
          break;
        }
      }
      System.out.println("scripted insider: " + seen + " record(s) read before the first alert or measure");

      // The analyst sees the alert on the board and in the list, and contains the insider in one click.
      Page page = analyst.page();
      page.navigate(world.url("/console/security/board"));
      page.waitForSelector("#top-risks, #top-empty");
      assertThat(page.textContent("main")).contains("mallory-insider");
      assertAccessible(page, "risk board");
      shot(page, "console-security-board");
      page.navigate(world.url("/console/security/alerts?status=all"));
      var alert = page.locator("article.alert", new Page.LocatorOptions().setHasText("mallory-insider")).first();
      assertThat(alert.textContent()).contains("mallory-insider");
      assertAccessible(page, "alerts");
      shot(page, "console-security-alerts");
      var contain = page.locator("form.contain button", new Page.LocatorOptions().setHasText("mallory-insider")).first();
      if (contain.count() > 0) {
        contain.click();
        page.waitForSelector("p.done");
        assertThat(page.textContent("p.done")).contains("Contained");
      } else {
        // Detection had already suspended the insider on its own: the page says so instead of offering it.
        assertThat(alert.textContent()).contains("is suspended");
      }
      assertThat(page.textContent("main")).contains("mallory-insider is suspended");

      // The insider's next click lands on "session ended".
      insider.page().click("a[href='/console/queue']");
      insider.page().waitForSelector("#ended-title");
      assertThat(insider.page().textContent("#ended-title")).isEqualTo("Your session has ended");
      assertThat(insider.problems()).isEmpty();
      assertThat(analyst.problems()).isEmpty();
    }
  }

  @Test
  void security_opensAnIncidentForTheInsider_seesTheScope_andAPastedSampleRanksTheInsiderFirst() throws Exception {
    try (Session insider = session(); Session analyst = session()) {
      // The insider reads four customers without tickets (break-glass), from the console page.
      signInWithTotp(insider.page(), "ivan-insider");
      insider.page().navigate(world.url("/console/queue"));
      for (int i = 0; i < 4; i++) {
        Object st = insider.page().evaluate("async (id) => (await fetch('/v1/access/break-glass', {method: 'POST', "
            + "headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector("
            + "'meta[name=custos-csrf]').content}, body: JSON.stringify({customer: id, reason: "
            + "'customer locked out after a phone change, verifying identity'})})).status", "cust-leak-" + i);
        assertThat(((Number) st).intValue()).as("break-glass read of cust-leak-" + i).isEqualTo(200);
      }

      // The analyst opens an incident for them from the list page's form.
      signInWithTotp(analyst.page(), "ines-security");
      Page page = analyst.page();
      page.navigate(world.url("/console/security/incidents"));
      if (page.locator("#open-incident[open]").count() == 0) {
        page.click("#open-incident summary");
      }
      java.time.format.DateTimeFormatter local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
          .withZone(java.time.ZoneOffset.UTC);
      Instant now = Instant.now();
      page.fill("#title", "Customer list offered on a forum");
      page.fill("#suspects", "ivan-insider");
      page.fill("#from", local.format(now.minus(java.time.Duration.ofHours(1))));
      page.fill("#to", local.format(now.plus(java.time.Duration.ofHours(1))));
      page.fill("#notes", "a forum post quotes four of our customers");
      page.click("#open-incident button[type=submit]");
      page.waitForSelector("#scope");
      assertThat(page.textContent("p.done")).contains("Incident opened");
      String scope = page.textContent("#scope");
      for (int i = 0; i < 4; i++) {
        assertThat(scope).contains("cust-leak-" + i);
      }
      assertThat(scope).contains("ivan-insider");
      assertThat(page.locator("#category-chart svg rect").count()).isGreaterThan(1);
      assertThat(page.textContent("#timeline")).contains("scope.read");
      assertAccessible(page, "incident");
      shot(page, "console-incident");

      // A leaked sample pasted into the form ranks the insider first.
      page.fill("#sample", "customer_id\ncust-leak-0\ncust-leak-2\ncust-leak-3\n");
      page.click("#attribute-form button[type=submit]");
      page.waitForSelector("#attribution-staff");
      assertThat(page.url()).doesNotContain("cust-leak");
      assertThat(page.textContent("#attribution-staff tbody tr:first-child th")).isEqualTo("ivan-insider");
      assertThat(page.textContent("#attribution-staff tbody tr:first-child td:nth-of-type(2)")).isEqualTo("3");
      assertAccessible(page, "attribution");
      assertThat(insider.problems()).isEmpty();
      assertThat(analyst.problems()).isEmpty();
    }
  }

  @Test
  void anApproval_needsTwoDifferentPeople() throws Exception {
    try (Session agent = session(); Session sue = session(); Session petra = session()) {
      signInWithTotp(agent.page(), "bob-agent");
      String made = (String) agent.page().evaluate("async () => JSON.stringify(await (await fetch('/v1/approvals', "
          + "{method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector("
          + "'meta[name=custos-csrf]').content}, body: JSON.stringify({action: '2fa-reset', customer: 'cust-bob', "
          + "ticket: 'T-2001', parameters: {reason: 'lost phone, identity verified by video call'}})})).json())");
      String id = JsonParser.parseString(made).getAsJsonObject().get("id").getAsString();

      signInWithTotp(sue.page(), "sue-security");
      sue.page().navigate(world.url("/console/approvals"));
      sue.page().click("#approve-" + id);
      sue.page().waitForSelector("p.done");
      assertThat(sue.page().textContent("p.done")).contains("pending");
      assertThat(sue.page().textContent("#approval-" + id + " .approved-by")).isEqualTo("sue-security");
      assertThat(sue.page().locator("#approve-" + id).count()).as("the same person cannot approve twice").isZero();
      assertAccessible(sue.page(), "approvals");
      shot(sue.page(), "console-approvals");

      signInWithTotp(petra.page(), "petra-approver");
      petra.page().navigate(world.url("/console/approvals"));
      petra.page().click("#approve-" + id);
      petra.page().waitForSelector("p.done");
      assertThat(petra.page().textContent("p.done")).contains("Approved").doesNotContain("pending");
      for (Session s : List.of(agent, sue, petra)) {
        assertThat(s.problems()).isEmpty();
      }
    }
  }

  static BufferedImage scale(BufferedImage src, double factor) {
    int w = (int) Math.round(src.getWidth() * factor);
    int h = (int) Math.round(src.getHeight() * factor);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  record Decoded(String code, int tiles, double weakestAgreement) {}

  /**
   * Reads the dot layer: for every whole tile in the picture and every bit, compares the darkness of
   * the bit's two cells; each tile votes, the majority decides. Needs the tile grid's origin (the
   * viewport's top left, where the console anchors it) and the scale; no rotation or perspective.
   */
  static Decoded decode(BufferedImage img, double scale) {
    int tilesX = (int) (img.getWidth() / (Watermark.TILE_WIDTH * scale));
    int tilesY = (int) (img.getHeight() / (Watermark.TILE_HEIGHT * scale));
    int[] votes = new int[Watermark.BITS];
    int tiles = 0;
    for (int ty = 0; ty < tilesY; ty++) {
      for (int tx = 0; tx < tilesX; tx++) {
        tiles++;
        for (int i = 0; i < Watermark.BITS; i++) {
          double y = (ty * Watermark.TILE_HEIGHT + Watermark.cellY(i)) * scale;
          double one = darkness(img, (tx * Watermark.TILE_WIDTH + Watermark.cellX(i, true)) * scale, y, Watermark.CELL * scale / 2);
          double zero = darkness(img, (tx * Watermark.TILE_WIDTH + Watermark.cellX(i, false)) * scale, y, Watermark.CELL * scale / 2);
          votes[i] += one > zero ? 1 : one < zero ? -1 : 0;
        }
      }
    }
    boolean[] bits = new boolean[Watermark.BITS];
    double weakest = 1;
    for (int i = 0; i < bits.length; i++) {
      bits[i] = votes[i] > 0;
      weakest = Math.min(weakest, Math.abs(votes[i]) / (double) tiles);
    }
    return new Decoded(Watermark.code(bits), tiles, weakest);
  }

  /** The summed darkness (255 - luminance) of the pixels whose centres lie within {@code radius} of (x, y). */
  static double darkness(BufferedImage img, double x, double y, double radius) {
    double sum = 0;
    for (int py = (int) Math.floor(y - radius); py <= (int) Math.ceil(y + radius); py++) {
      for (int px = (int) Math.floor(x - radius); px <= (int) Math.ceil(x + radius); px++) {
        if (px < 0 || py < 0 || px >= img.getWidth() || py >= img.getHeight()) {
          continue;
        }
        double dx = px + 0.5 - x;
        double dy = py + 0.5 - y;
        if (dx * dx + dy * dy > radius * radius) {
          continue;
        }
        int rgb = img.getRGB(px, py);
        double lum = 0.2126 * ((rgb >> 16) & 255) + 0.7152 * ((rgb >> 8) & 255) + 0.0722 * (rgb & 255);
        sum += 255 - lum;
      }
    }
    return sum;
  }
}
