package dev.custos.e2e;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright. Browser tests run whenever Chromium is installed; on a
 * machine without it they are skipped, unless {@code CUSTOS_TEST_E2E_REQUIRED} is set (CI sets it),
 * in which case they fail.
 */
final class Browser {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private Browser() {}

  static void assumeAvailable() {
    boolean present = Files.isExecutable(CHROMIUM);
    boolean required = System.getenv("CUSTOS_TEST_E2E_REQUIRED") != null;
    if (!present && required) {
      throw new AssertionError("CUSTOS_TEST_E2E_REQUIRED is set but " + CHROMIUM + " is missing: apt-get install chromium");
    }
    Assumptions.assumeTrue(present, "Chromium is not installed at " + CHROMIUM + "; browser tests skipped");
  }

  static com.microsoft.playwright.Browser launch(Playwright playwright) {
    return playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
  }
}
