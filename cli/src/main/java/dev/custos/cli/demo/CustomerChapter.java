package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.IssuedToken;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.Totp;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import dev.custos.server.WebhookSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The one path: the backend writes customers into the vault, the ticket system assigns a ticket,
 * an agent reads the ticket's customer masked, a second-line agent reveals a field with a reason, a
 * lookup without a ticket is denied and a quota stops an agent — each answer with its ledger index.
 */
final class CustomerChapter implements Chapter {
  @Override
  public String title() {
    return "Agents see a customer only for their ticket, masked; reveals need a reason; every access is in the ledger first";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    n.step("stopping Custos to add two agents and a token for the exchange's backend");
    scene.stop();
    String password = "demo " + Long.toHexString(new SecureRandom().nextLong()) + " lantern";
    TotpSecret carolTotp;
    TotpSecret daveTotp;
    String token;
    WebhookSignature ticketSystem;
    try (Administration admin = Administration.open(scene.config(), InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(password.toCharArray())) {
      carolTotp = add(admin, "carol", "Carol (first-line support)", Role.SUPPORT_L1, p);
      daveTotp = add(admin, "dave", "Dave (second-line support)", Role.SUPPORT_L2, p);
      IssuedToken issued = admin.issueToken("exchange-backend", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "demo")
          .token();
      token = issued.revealText();
      ticketSystem = admin.ticketWebhook();
    }
    URI base = scene.custos().baseUri();

    Browser backend = new Browser("exchange backend");
    Map<String, String> bearer = Map.of("Authorization", "Bearer " + token);
    Browser.Reply ada = backend.send(base, "PUT", "/v1/customers/cust-1001",
        Browser.JSON.writeValueAsBytes(Map.of("fields", record("Ada Lovelace", "ada.lovelace@example.com",
            "+44 20 7946 0018"))), bearer);
    Browser.Reply bob = backend.send(base, "PUT", "/v1/customers/cust-2002",
        Browser.JSON.writeValueAsBytes(Map.of("fields", record("Bob Babbage", "bob@example.com", "+44 20 7946 0999"))), bearer);
    n.step("PUT /v1/customers/cust-1001 and cust-2002 by the backend -> " + ada.status() + " " + ada.json().path("outcome").asText()
        + ", " + bob.status() + " " + bob.json().path("outcome").asText() + " (ledger entries " + ada.json().path("ledgerIndex")
        + ", " + bob.json().path("ledgerIndex") + ")");
    scene.check(ada.status() == 200 && bob.status() == 200,
        "customers are stored field by field under their own data keys; the ledger names them only by commitment");

    Browser.Reply assigned = ticket(base, ticketSystem, "assigned", "T-4711", "cust-1001", "carol", false);
    Browser.Reply escalated = ticket(base, ticketSystem, "assigned", "T-4712", "cust-1001", "dave", false);
    Browser.Reply self = ticket(base, ticketSystem, "created", "T-4713", "cust-2002", "carol", true);
    n.step("the ticket system's signed webhooks: T-4711 (cust-1001) assigned to carol, T-4712 (cust-1001) to dave, "
        + "T-4713 (cust-2002) created by carol herself -> " + assigned.status() + ", " + escalated.status() + ", "
        + self.status());
    scene.check(assigned.status() == 200 && escalated.status() == 200 && self.status() == 200,
        "tickets arrive signed (HMAC-SHA256 over timestamp and body) and are recorded before they count");

    Browser carol = login(base, "carol", password, carolTotp);
    Browser.Reply view = carol.get(base, "/v1/customers/cust-1001?ticket=T-4711");
    JsonNode fields = view.json().path("fields");
    n.step("carol: GET /v1/customers/cust-1001?ticket=T-4711 -> " + view.status() + ", ledger index "
        + view.json().path("ledgerIndex") + ": name " + fields.path("name") + ", email " + fields.path("email")
        + ", phone " + fields.path("phone") + ", balances " + fields.path("balances") + ", government id "
        + (fields.has("government_id") ? "shown" : "not shown to her role"));
    scene.check(view.status() == 200 && fields.path("email").asText().contains("•") && !fields.has("government_id"),
        "carol sees her ticket's customer masked by her role, and the response names the ledger entry written first");

    Browser.Reply denied = carol.get(base, "/v1/customers/cust-2002");
    n.step("carol: GET /v1/customers/cust-2002 without a ticket -> " + denied.status() + " " + denied.json().path("reason").asText()
        + ", ledger index " + denied.json().path("ledgerIndex"));
    scene.check(denied.status() == 403 && !denied.json().has("fields"),
        "a lookup without a ticket is denied, and the denial is in the ledger too");

    Browser.Reply quota = carol.get(base, "/v1/customers/cust-2002?ticket=T-4713");
    n.step("carol: GET /v1/customers/cust-2002?ticket=T-4713 (a ticket she created herself) -> " + quota.status() + " "
        + quota.json().path("quota").asText() + ", ledger index " + quota.json().path("ledgerIndex"));
    scene.check(quota.status() == 429 && !quota.json().has("fields"),
        "a self-made ticket counts as off-ticket, and the off-ticket quota (0 by default) stops it");

    Browser dave = login(base, "dave", password, daveTotp);
    Browser.Reply lazy = dave.post(base, "/v1/customers/cust-1001/reveal",
        Map.of("ticket", "T-4712", "fields", List.of("phone"), "reason", "."));
    Browser.Reply reveal = dave.post(base, "/v1/customers/cust-1001/reveal",
        Map.of("ticket", "T-4712", "fields", List.of("phone"),
            "reason", "customer asked to confirm the phone number for SMS codes"));
    n.step("dave: reveal phone with reason '.' -> " + lazy.status() + " " + lazy.json().path("reason").asText()
        + "; with a real reason (he logged in with a second factor minutes ago) -> " + reveal.status() + ", phone "
        + reveal.json().path("fields").path("phone") + ", ledger index " + reveal.json().path("ledgerIndex"));
    scene.check(lazy.status() == 400 && reveal.status() == 200
            && reveal.json().path("fields").path("phone").asText().equals("+44 20 7946 0018"),
        "a reveal needs a real reason and a recent second factor; the reason is kept, its digest is in the ledger");

    scene.custos().ledger().publish();
    long index = reveal.json().path("ledgerIndex").asLong();
    String entry = new String(scene.custos().ledger().entry(index), StandardCharsets.UTF_8);
    n.step("ledger entry " + index + ": " + (entry.length() > 240 ? entry.substring(0, 240) + "…" : entry));
    scene.check(entry.contains("\"action\":\"reveal\"") && !entry.contains("cust-1001") && !entry.contains("7946"),
        "the entry names the customer by commitment and the reason by digest: no PII in the ledger");
  }

  private static Map<String, Object> record(String name, String email, String phone) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", name);
    f.put("email", email);
    f.put("phone", phone);
    f.put("date_of_birth", "1990-12-10");
    f.put("address", Map.of("line1", "12 Marylebone Road", "city", "London", "postcode", "NW1 5LR", "country", "GB"));
    f.put("government_id", "QQ123456C");
    f.put("balances", Map.of("BTC", "1.52", "USD", "12500.10"));
    f.put("account_tier", "vip");
    f.put("account_status", "active");
    f.put("kyc_status", "verified");
    return f;
  }

  private static Browser.Reply ticket(URI base, WebhookSignature signer, String event, String id, String customer,
      String assignee, boolean createdByStaff) throws Exception {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", id);
    t.put("requester_id", customer);
    t.put("assignee_id", assignee);
    t.put("status", "open");
    t.put("channel", "email");
    t.put("category", "account-access");
    t.put("created_by_staff", createdByStaff);
    t.put("updated_at", Instant.now().toString());
    byte[] body = Browser.JSON.writeValueAsBytes(Map.of("event", event, "ticket", t));
    String timestamp = Instant.now().toString();
    return new Browser("ticket system").send(base, "POST", "/v1/integrations/tickets", body,
        Map.of(WebhookSignature.SIGNATURE_HEADER, signer.sign(timestamp, body), WebhookSignature.TIMESTAMP_HEADER, timestamp));
  }

  private static Browser login(URI base, String user, String password, TotpSecret totp) throws Exception {
    Browser b = new Browser(user);
    b.post(base, "/v1/session/login", Map.of("username", user, "password", password));
    b.post(base, "/v1/session/login/second-factor", Map.of("factor", "totp", "code", Totp.DEFAULT.codeAt(totp, Instant.now())));
    return b;
  }

  private static TotpSecret add(Administration admin, String id, String name, Role role, Password p) throws DemoFailure {
    return StaffChapter.add(admin, StaffAccount.create(new StaffId(id), name, Set.of(role), Optional.of("desk-2"),
        StaffAccount.Origin.LOCAL, Instant.now()), p);
  }
}
