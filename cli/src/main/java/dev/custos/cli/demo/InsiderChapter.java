package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.QuotaSettings;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpSecret;
import dev.custos.server.AccessSettings;
import dev.custos.server.Administration;
import dev.custos.server.CustosConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * An insider starts bulk lookups and is stopped: a second-line agent breaks the glass on one
 * customer after another; detection suspends her within a few records, every session ends, the
 * alert explains why and security closes it with a verdict.
 */
final class InsiderChapter implements Chapter {
  static final int CUSTOMERS = 25;

  @Override
  public String title() {
    return "An insider starts bulk lookups and is stopped within a few records";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    n.step("stopping Custos to add mallory (second-line support, may break the glass) and victor (security analyst)");
    scene.stop();
    String password = "demo " + Long.toHexString(new SecureRandom().nextLong()) + " harbour";
    TotpSecret mallory;
    TotpSecret sam;
    String token;
    try (Administration admin = Administration.open(scene.config(), InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(password.toCharArray())) {
      mallory = add(admin, "mallory", "Mallory (second-line support)", Role.SUPPORT_L2, p);
      sam = add(admin, "victor", "Victor (security)", Role.SECURITY_ANALYST, p);
      token = admin.issueToken("exchange-backend-2", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "demo").token()
          .revealText();
    }
    CustosConfig config = scene.config();
    AccessSettings a = config.access();
    QuotaSettings q = a.quotas();
    scene.reconfigure(config.withAccess(new AccessSettings(a.catalogueFile(), a.catalogue(), a.policy(),
        new QuotaSettings(q.offTicketCustomersPerHour(), q.offTicketCustomersPerDay(), q.revealsPerHour(),
            q.searchesPerHour(), 1000))));
    scene.detectionWarmUp(Duration.ZERO);
    n.step("for the demo: the break-glass quota is raised to 1000 a day (so only detection stands in her way) and "
        + "detection's warm-up is off (a fresh installation has learnt nothing yet)");
    URI base = scene.custos().baseUri();

    Browser backend = new Browser("exchange backend");
    for (int i = 1; i <= CUSTOMERS; i++) {
      Browser.Reply r = backend.send(base, "PUT", "/v1/customers/cust-" + (5000 + i),
          Browser.JSON.writeValueAsBytes(Map.of("fields", Map.of("name", "Customer " + i, "email", "c" + i + "@example.com",
              "account_tier", "vip", "balances", Map.of("USD", Integer.toString(1000 * i))))),
          Map.of("Authorization", "Bearer " + token));
      if (r.status() != 200) {
        throw new DemoFailure("the backend could not write cust-" + (5000 + i) + ": " + r.status());
      }
    }
    n.step("the backend writes " + CUSTOMERS + " VIP customers, cust-5001 to cust-" + (5000 + CUSTOMERS)
        + "; mallory, bribed, goes down the VIP list with break-glass and the same reason each time");

    Browser m = login(base, "mallory", password, mallory);
    List<String> seen = new ArrayList<>();
    List<Long> indices = new ArrayList<>();
    int stoppedAt = -1;
    for (int i = 1; i <= CUSTOMERS; i++) {
      String id = "cust-" + (5000 + i);
      Browser.Reply r = m.post(base, "/v1/access/break-glass",
          Map.of("customer", id, "reason", "customer called about a frozen withdrawal, no ticket yet"));
      if (r.status() == 200) {
        seen.add(id);
        indices.add(r.json().path("ledgerIndex").asLong());
        continue;
      }
      stoppedAt = i;
      n.step("mallory: break-glass " + id + " -> " + r.status() + " " + r.json().path("type").asText());
      break;
    }
    scene.note("mallory.customers", List.copyOf(seen));
    n.step("mallory broke the glass on " + seen + " (ledger indices " + indices + ") before she was stopped");
    scene.check(stoppedAt > 0 && seen.size() <= 10,
        "detection contained mallory after " + seen.size() + " records; her sessions were revoked at once");
    Browser.Reply after = m.get(base, "/v1/customers/cust-5001?ticket=T-1");
    scene.check(after.status() == 401, "her next request is refused: " + after.status() + " (no live session)");

    Browser s = login(base, "victor", password, sam);
    Browser.Reply list = s.get(base, "/v1/alerts");
    JsonNode suspend = null;
    for (Iterator<JsonNode> it = list.json().path("alerts").elements(); it.hasNext(); ) {
      JsonNode x = it.next();
      if (x.path("staff").asText().equals("mallory")) {
        n.show(x.path("id").asText() + " " + x.path("measure").asText() + " (ledger index " + x.path("ledgerIndex") + "): "
            + x.path("explanation").asText());
        if (x.path("measure").asText().equals("suspend")) {
          suspend = x;
        }
      }
    }
    scene.check(suspend != null, "victor sees the alert with its explanation: each signal with its value and baselines");
    scene.custos().ledger().publish();
    String entry = new String(scene.custos().ledger().entry(suspend.path("ledgerIndex").asLong()), StandardCharsets.UTF_8);
    n.step("ledger entry " + suspend.path("ledgerIndex") + ": " + (entry.length() > 240 ? entry.substring(0, 240) + "…" : entry));
    scene.check(entry.contains("\"kind\":\"custos.detection/v1\"") && entry.contains("\"measure\":\"suspend\""),
        "the containment itself is a ledger entry");
    Browser.Reply closed = s.post(base, "/v1/alerts/" + suspend.path("id").asText() + "/close",
        Map.of("verdict", "true-positive", "note", "bulk break-glass with the same reason; mallory stays suspended"));
    scene.check(closed.status() == 200, "victor closes the alert as a true positive (ledger index "
        + closed.json().path("changeLedgerIndex") + "); only a security analyst with a reason could restore mallory");
  }

  /**
   * Signs {@code user} in with password and TOTP. Every sign-in of the story comes from 127.0.0.1,
   * whose attempts the login throttle meters (20 a minute per address): a 429 is waited out, as a
   * person would, a few seconds at a time; any other refusal fails the story.
   */
  static Browser login(URI base, String user, String password, TotpSecret totp) throws Exception {
    Browser b = new Browser(user);
    patiently(() -> b.post(base, "/v1/session/login", Map.of("username", user, "password", password)), user);
    Browser.Reply in = patiently(() -> b.post(base, "/v1/session/login/second-factor",
        Map.of("factor", "totp", "code", Totp.DEFAULT.codeAt(totp, Instant.now()))), user);
    if (in.status() != 200) {
      throw new DemoFailure(user + " could not sign in: " + in.status() + " " + in.json().path("detail").asText());
    }
    return b;
  }

  private interface Step {
    Browser.Reply send() throws Exception;
  }

  private static Browser.Reply patiently(Step step, String user) throws Exception {
    for (int attempt = 0; ; attempt++) {
      Browser.Reply r = step.send();
      if (r.status() != 429 || attempt == 20) {
        return r;
      }
      Thread.sleep(3_000); // the address bucket refills one attempt every 3 s
    }
  }

  private static TotpSecret add(Administration admin, String id, String name, Role role, Password p) throws DemoFailure {
    return StaffChapter.add(admin, StaffAccount.create(new StaffId(id), name, Set.of(role), Optional.of("desk-3"),
        StaffAccount.Origin.LOCAL, Instant.now()), p);
  }
}
