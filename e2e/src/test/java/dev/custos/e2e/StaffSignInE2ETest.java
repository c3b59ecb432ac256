package dev.custos.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.OtpauthUri;
import dev.custos.identity.Parsed;
import dev.custos.identity.Password;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.Totp;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebAuthn end to end in a real Chromium with its virtual authenticator: a member of staff signs in
 * with password and TOTP, registers a passkey, logs out, and signs in again with password and the
 * passkey. The server verifies everything (Yubico's relying party), the page runs under the strict CSP.
 */
class StaffSignInE2ETest {
  @TempDir
  static Path temp;

  static Custos custos;
  static Playwright playwright;
  static com.microsoft.playwright.Browser browser;
  static OtpauthUri totp;
  static final String PASSWORD = "correct horse battery staple 42";

  @BeforeAll
  static void start() throws Exception {
    Browser.assumeAvailable();
    // A fixed port: the WebAuthn origin (http://localhost:<port>) is part of the configuration.
    ConsoleWorld.ConfigSource onFreePort = () -> ConfigLoader.load(Map.of("data", temp.resolve("data").toString(),
        "http.port", Integer.toString(ConsoleWorld.freePort())), Map.of(), null, temp);
    CustosConfig config = onFreePort.next();
    try (Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault());
        Password password = Password.copyOf(PASSWORD.toCharArray())) {
      StaffAccount alice = StaffAccount.create(new StaffId("alice"), "Alice Agent", Set.of(Role.SUPPORT_L1),
          Optional.of("desk-1"), StaffAccount.Origin.LOCAL, Instant.now());
      var outcome = admin.staff().createLocal(alice, password, "test");
      totp = ((StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) outcome).value().totp();
    }
    custos = ConsoleWorld.startOnPickedPort(config, onFreePort,
        c -> Custos.start(c, InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE));
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

  /** The page over http://localhost (WebAuthn needs a secure context; localhost is one, an IP literal is not). */
  private static String url(String path) {
    return "http://localhost:" + custos.baseUri().getPort() + path;
  }

  @Test
  void passkey_registeredAfterTotpLogin_thenSignsInOnItsOwn() throws Exception {
    try (BrowserContext context = browser.newContext(); Page page = context.newPage()) {
      List<String> problems = new ArrayList<>();
      page.onConsoleMessage(m -> {
        // Expected: no favicon, and the signed-out probe GET /v1/session answering 401 on first load.
        boolean expected = m.location().contains("/favicon.ico")
            || (m.location().contains("/v1/session") && m.text().contains("401"));
        if (m.type().equals("error") && !expected) {
          problems.add(m.text() + " at " + m.location());
        }
      });
      page.onPageError(problems::add);
      CDPSession cdp = context.newCDPSession(page);
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
      String authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", args).get("authenticatorId").getAsString();

      // 1. Password, then a TOTP code.
      page.navigate(url("/login"));
      page.fill("#username", "alice");
      page.fill("#password", PASSWORD);
      page.click("#password-submit");
      page.waitForSelector("#code-form", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertThat(page.isVisible("#use-webauthn")).as("no passkey yet").isFalse();
      page.fill("#code", Totp.DEFAULT.codeAt(totp.secret(), Instant.now()));
      page.click("#code-submit");
      page.waitForSelector("#signed-in", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertThat(page.textContent("#method")).isEqualTo("password+totp");

      // 2. Register a passkey in the virtual authenticator.
      page.click("#register-key");
      page.waitForCondition(() -> !page.textContent("#message").isEmpty());
      assertThat(page.textContent("#message")).isEqualTo("Security key added.");
      assertThat(page.textContent("#factors")).contains("webauthn");
      JsonObject creds = new JsonObject();
      creds.addProperty("authenticatorId", authenticator);
      assertThat(cdp.send("WebAuthn.getCredentials", creds).getAsJsonArray("credentials")).hasSize(1);

      // 3. Log out: the session is gone.
      page.click("#logout");
      page.waitForSelector("#password-form", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));

      // 4. Password, then the passkey.
      page.fill("#username", "alice");
      page.fill("#password", PASSWORD);
      page.click("#password-submit");
      page.waitForSelector("#use-webauthn", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      page.click("#use-webauthn");
      page.waitForSelector("#signed-in", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
      assertThat(page.textContent("#method")).isEqualTo("password+webauthn");
      assertThat(page.textContent("#who")).contains("alice");

      // The session cookie is HttpOnly and SameSite=Strict: scripts cannot read it.
      assertThat((String) page.evaluate("document.cookie")).doesNotContain("custos_session");
      var cookie = context.cookies().stream().filter(c -> c.name.equals("custos_session")).findFirst().orElseThrow();
      assertThat(cookie.httpOnly).isTrue();
      assertThat(cookie.sameSite).hasToString("STRICT");
      assertThat(problems).as("console errors and CSP violations").isEmpty();

      Path shot = Path.of("target", "screenshots", "signed-in-with-passkey.png");
      Files.createDirectories(shot.getParent());
      page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
    }
  }
}
