package dev.custos.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instance page in a real Chromium: it renders, obeys its CSP, and shows readiness. */
class InstancePageE2ETest {
  @TempDir
  static Path temp;

  static Custos custos;
  static Playwright playwright;
  static com.microsoft.playwright.Browser browser;

  @BeforeAll
  static void start() throws Exception {
    Browser.assumeAvailable();
    custos = Custos.start(ConfigLoader.load(Map.of("data", temp.resolve("data").toString(), "http.port", "0"),
        Map.of(), null, temp), InstantSource.system(), RandomGenerator.getDefault(), Custos.Progress.NONE);
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

  @Test
  void instancePage_rendersReady_withStylesAndNoConsoleErrors() throws Exception {
    try (var context = browser.newContext(); Page page = context.newPage()) {
      List<String> problems = new ArrayList<>();
      page.onConsoleMessage(m -> {
        if (m.type().equals("error") || m.type().equals("warning")) {
          problems.add(m.text());
        }
      });
      page.onPageError(problems::add);
      Response response = page.navigate(custos.baseUri().resolve("/").toString());
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().get("content-security-policy")).contains("default-src 'none'");
      assertThat(page.title()).isEqualTo("Custos");
      assertThat(page.locator("#state").textContent()).isEqualTo("Ready");
      assertThat(page.locator("#installation").textContent()).isEqualTo(custos.installation().id().toString());
      // The stylesheet loaded under the CSP: the ready state is drawn in the "ok" colour, not the default.
      String colour = (String) page.evaluate("getComputedStyle(document.querySelector('#state')).color");
      assertThat(colour).isEqualTo("rgb(26, 127, 55)");
      assertThat(problems).as("console errors and CSP violations").isEmpty();

      Path shot = Path.of("target", "screenshots", "instance-page.png");
      Files.createDirectories(shot.getParent());
      page.screenshot(new Page.ScreenshotOptions().setPath(shot).setFullPage(true));
      assertThat(Files.size(shot)).isPositive();
    }
  }

  @Test
  void healthLink_navigatesToHealthz() {
    try (var context = browser.newContext(); Page page = context.newPage()) {
      page.navigate(custos.baseUri().resolve("/").toString());
      page.click("text=/healthz");
      assertThat(page.url()).endsWith("/healthz");
      assertThat(page.content()).contains("\"status\":\"ok\"");
    }
  }
}
