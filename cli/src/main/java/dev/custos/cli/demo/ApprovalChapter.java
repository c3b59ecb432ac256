package dev.custos.cli.demo;

import com.sun.net.httpserver.HttpServer;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.approval.ApprovalPolicyFile;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import dev.custos.server.ApprovalSettings;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;

/**
 * A bribed agent tries account takeover and fails: his 2FA reset for a customer cannot reach its
 * quorum (not himself, not his teammate), and security denies it; an address whitelisted through
 * two approvals is still held for its first 48 hours when the wallet asks about a withdrawal to it.
 * A small local receiver plays the exchange's backend, taking Custos's signed approval events.
 */
final class ApprovalChapter implements Chapter {
  static final String CUSTOMER = "cust-5003";
  static final String ADDRESS = "bc1qdemo0fresh0address0held0for0two0days";

  @Override
  public String title() {
    return "A bribed agent cannot reset a customer's 2FA alone, and a fresh withdrawal address is held";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    List<String> events = new CopyOnWriteArrayList<>();
    HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/custos-events", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        String signature = exchange.getRequestHeaders().getFirst("X-Custos-Signature");
        events.add(Browser.JSON.readTree(body).path("event").asText() + (signature == null ? " (unsigned!)" : ""));
      }
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    backend.start();
    try {
      play(scene, n, events, URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/custos-events"));
    } finally {
      backend.stop(0);
    }
  }

  private void play(Scene scene, Narrator n, List<String> events, URI hook) throws Exception {
    n.step("stopping Custos to add oscar (support, desk-3, bribed), his teammate paula (approver, desk-3), "
        + "quinn (approver, payments) and rita (security), and a token for the wallet service");
    scene.stop();
    String password = "demo " + Long.toHexString(new SecureRandom().nextLong()) + " harbour";
    TotpSecret oscar;
    TotpSecret paula;
    TotpSecret quinn;
    TotpSecret rita;
    String wallet;
    try (Administration admin = Administration.open(scene.config(), InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(password.toCharArray())) {
      oscar = add(admin, "oscar", "Oscar (support)", Role.SUPPORT_L2, "desk-3", p);
      paula = add(admin, "paula", "Paula (approver)", Role.APPROVER, "desk-3", p);
      quinn = add(admin, "quinn", "Quinn (approver)", Role.APPROVER, "payments", p);
      rita = add(admin, "rita", "Rita (security)", Role.SECURITY_ANALYST, "security", p);
      wallet = admin.issueToken("wallet-service", Set.of(Scope.WITHDRAWALS_EVALUATE), Optional.empty(), "demo").token()
          .revealText();
    }
    Path secret = scene.config().keysDir().resolve("approval-webhook.secret");
    Files.writeString(secret, "demo-" + Long.toHexString(new SecureRandom().nextLong()) + "-approval-hook\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    scene.reconfigure(scene.config().withApprovals(new ApprovalSettings(Optional.empty(),
        ApprovalPolicyFile.parse("address-whitelist.time-lock = 0s\n"), Optional.of(hook), Optional.of(secret))));
    n.step("for the demo: the 48-hour time-lock on whitelisting an address is set to 0 (approvals.policy-file), and a "
        + "local receiver at " + hook + " plays the exchange's backend for signed approval events");
    URI base = scene.custos().baseUri();

    Browser o = InsiderChapter.login(base, "oscar", password, oscar);
    Browser.Reply made = o.post(base, "/v1/approvals", Map.of("action", "2fa-reset", "customer", CUSTOMER,
        "parameters", Map.of("reason", "customer says she lost her phone")));
    scene.check(made.status() == 201, "oscar, paid by a caller holding leaked data, asks to reset " + CUSTOMER
        + "'s 2FA: request " + made.json().path("id").asText() + ", needs " + made.json().path("required").asInt()
        + " approvals (ledger index " + made.json().path("ledgerIndex") + ")");
    String id = made.json().path("id").asText();
    Map<String, String> hash = Map.of("bindingHash", made.json().path("bindingHash").asText());

    Browser.Reply self = o.post(base, "/v1/approvals/" + id + "/approve", hash);
    n.step("oscar approves his own request -> " + self.status() + ": " + self.json().path("detail").asText());
    Browser.Reply mate = InsiderChapter.login(base, "paula", password, paula).post(base, "/v1/approvals/" + id + "/approve", hash);
    n.step("paula, his teammate, approves -> " + mate.status() + ": " + mate.json().path("detail").asText());
    scene.check(self.status() == 409 && mate.status() == 409,
        "neither the requester nor anyone from his team counts: approvers must come from outside desk-3");
    Browser q = InsiderChapter.login(base, "quinn", password, quinn);
    Browser.Reply one = q.post(base, "/v1/approvals/" + id + "/approve", hash);
    scene.check(one.status() == 200 && one.json().path("state").asText().equals("pending"),
        "quinn (payments) approves: 1 of 2, still pending; nothing reaches the customer's account");
    Browser r = InsiderChapter.login(base, "rita", password, rita);
    Browser.Reply denied = r.post(base, "/v1/approvals/" + id + "/deny",
        Map.of("note", "caller failed the callback to the number on file"));
    scene.check(denied.status() == 200 && denied.json().path("state").asText().equals("denied"),
        "rita (security) denies it after a callback to the number on file: the takeover ends here");

    Browser.Reply wl = o.post(base, "/v1/approvals", Map.of("action", "address-whitelist", "customer", CUSTOMER,
        "parameters", Map.of("asset", "BTC", "address", ADDRESS)));
    scene.check(wl.status() == 201, "oscar asks to whitelist a new BTC address for " + CUSTOMER + " (request "
        + wl.json().path("id").asText() + ")");
    Map<String, String> wlHash = Map.of("bindingHash", wl.json().path("bindingHash").asText());
    String wlId = wl.json().path("id").asText();
    q.post(base, "/v1/approvals/" + wlId + "/approve", wlHash);
    Browser.Reply two = r.post(base, "/v1/approvals/" + wlId + "/approve", wlHash);
    String state = two.json().path("state").asText();
    for (int i = 0; i < 100 && !state.equals("executed"); i++) {
      Thread.sleep(100);
      state = o.get(base, "/v1/approvals/" + wlId).json().path("state").asText();
    }
    n.step("the backend received, signed: " + events);
    scene.check(state.equals("executed") && events.contains("approval.customer-notice") && events.contains("approval.execute"),
        "quinn and rita approve it; the customer is told and the backend whitelists the address (state " + state + ")");

    Browser w = new Browser("wallet service");
    Browser.Reply fresh = w.send(base, "POST", "/v1/withdrawals/evaluate", Browser.JSON.writeValueAsBytes(Map.of(
        "account", CUSTOMER, "asset", "BTC", "amount", "0.5", "destination", ADDRESS, "reference", "wd-1")),
        Map.of("Authorization", "Bearer " + wallet, "Content-Type", "application/json"));
    n.step("wallet: 0.5 BTC from " + CUSTOMER + " to the new address -> " + fresh.json().path("decision").asText()
        + " until " + fresh.json().path("holdUntil").asText() + ", rules " + fresh.json().path("rules").findValuesAsText("rule"));
    scene.check(fresh.status() == 200 && fresh.json().path("decision").asText().equals("hold"),
        "a withdrawal to the freshly whitelisted address is held for its first 48 hours");
    Browser.Reply unknown = w.send(base, "POST", "/v1/withdrawals/evaluate", Browser.JSON.writeValueAsBytes(Map.of(
        "account", CUSTOMER, "asset", "BTC", "amount", "0.5", "destination", "bc1qsomeoneelse", "reference", "wd-2")),
        Map.of("Authorization", "Bearer " + wallet, "Content-Type", "application/json"));
    scene.check(unknown.json().path("decision").asText().equals("block"),
        "and one to an address never whitelisted is blocked; both decisions are ledger entries (indices "
            + fresh.json().path("ledgerIndex") + ", " + unknown.json().path("ledgerIndex") + ")");
  }

  private static TotpSecret add(Administration admin, String id, String name, Role role, String team, Password p)
      throws DemoFailure {
    return StaffChapter.add(admin, StaffAccount.create(new StaffId(id), name, Set.of(role), Optional.of(team),
        StaffAccount.Origin.LOCAL, Instant.now()), p);
  }
}
