package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import dev.custos.server.NotificationSettings;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The extortion e-mail arrives: security opens an incident against the contained insider, scopes
 * exactly which customers and fields she saw, attributes the published sample to her, and tells
 * each affected customer by e-mail — here to a local SMTP server (GreenMail) the demo starts.
 */
final class IncidentChapter implements Chapter {
  @Override
  public String title() {
    return "The leak: an incident is opened, scoped, the sample attributed, and the customers told";
  }

  @Override
  public void play(Scene scene) throws Exception {
    Narrator n = scene.narrator();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try {
      play(scene, n, smtp, port);
    } finally {
      smtp.stop();
    }
  }

  private void play(Scene scene, Narrator n, GreenMail smtp, int port) throws Exception {
    Instant windowStart = Instant.now().minus(Duration.ofHours(2));
    n.step("stopping Custos to add wendy (security analyst) and point customer notifications at a local SMTP "
        + "server on 127.0.0.1:" + port + " (notify.smtp.*)");
    scene.stop();
    String password = "demo " + Long.toHexString(new SecureRandom().nextLong()) + " harbour";
    TotpSecret wendy;
    try (Administration admin = Administration.open(scene.config(), InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(password.toCharArray())) {
      wendy = StaffChapter.add(admin, StaffAccount.create(new StaffId("wendy"), "Wendy (incident lead)",
          Set.of(Role.SECURITY_ANALYST), Optional.of("security"), StaffAccount.Origin.LOCAL, Instant.now()), p);
    }
    NotificationSettings off = scene.config().notifications();
    scene.reconfigure(scene.config().withNotifications(new NotificationSettings(Optional.of("127.0.0.1"), port,
        NotificationSettings.Tls.NONE, Optional.empty(), Optional.empty(), "security@exchange.example", "Demo Exchange",
        off.templatesDir(), off.defaultLanguage(), off.languageField(), off.languagesByNationality(), 3)));
    URI base = scene.custos().baseUri();
    Browser w = InsiderChapter.login(base, "wendy", password, wendy);

    n.step("an e-mail claims a list of VIP customers and threatens to publish it; mallory was contained earlier today");
    Browser.Reply opened = w.post(base, "/v1/incidents", Map.of("title", "Extortion: VIP customer data offered for sale",
        "suspects", List.of("mallory"), "from", windowStart.toString(), "to", Instant.now().toString(),
        "notes", "sample of three records attached to the extortion e-mail"));
    scene.check(opened.status() == 201, "wendy opens incident " + opened.json().path("id").asText()
        + " (suspect mallory, the last two hours); the step is a ledger entry (index "
        + opened.json().path("timeline").path(0).path("ledgerIndex") + ")");
    String id = opened.json().path("id").asText();

    Browser.Reply scope = w.get(base, "/v1/incidents/" + id + "/scope");
    List<String> customers = scope.json().path("exposures").findValuesAsText("customer");
    n.step("scope: " + scope.json().path("customers").asInt() + " customers " + customers + "; by data category "
        + scope.json().path("byCategory") + "; by jurisdiction " + scope.json().path("byJurisdiction"));
    JsonNode firstExposure = scope.json().path("exposures").path(0);
    n.step("  e.g. " + firstExposure.path("customer").asText() + ": fields " + firstExposure.path("fields"));
    List<String> saw = scene.noted("mallory.customers");
    scene.check(scope.status() == 200 && new java.util.HashSet<>(customers).equals(new java.util.HashSet<>(saw)),
        "the scope is exactly the customers mallory saw, each with the fields shown and whether masked or in clear");

    // What a screenshot of the console would give away: the customer id, the masked e-mail, the tier in clear.
    String sample = "customer_id,email,account_tier\ncust-5001,c1***@example.com,vip\ncust-5002,c2***@example.com,vip\n"
        + "cust-5003,c3***@example.com,vip\n";
    Browser.Reply attributed = w.post(base, "/v1/incidents/" + id + "/attribute", Map.of("sample", sample));
    JsonNode top = attributed.json().path("staff").path(0);
    n.step("the published sample (3 lines: customer id, masked e-mail, tier) -> ranked first: " + top.path("staff").asText()
        + ", explains " + top.path("explained").asInt() + " of " + attributed.json().path("sample").path("customers").asInt()
        + " records; the chance of that by coincidence, given her volume, is 10^" + top.path("log10Chance").asText()
        + " (high here only because this demo's staff saw " + attributed.json().path("population").asText()
        + " customers in all; at an exchange it is astronomically small)");
    scene.check(attributed.status() == 200 && top.path("staff").asText().equals("mallory")
            && top.path("explained").asInt() == 3,
        "the leaked sample is attributed to mallory, from the ledger alone: she saw every record as it leaked "
            + "(a leak of the e-mails in clear would not have been explained by her masked views)");

    long version = opened.json().path("version").asLong();
    for (String status : List.of("contained", "notifying")) {
      Browser.Reply moved = w.post(base, "/v1/incidents/" + id + "/status", Map.of("status", status, "version", version));
      if (moved.status() != 200) {
        throw new DemoFailure("the incident could not move to " + status + ": " + moved.status() + " "
            + moved.json().path("detail").asText());
      }
      version = moved.json().path("version").asLong();
    }
    Browser.Reply notify = w.post(base, "/v1/incidents/" + id + "/notify", Map.of());
    n.step("incident contained, then notifying; POST notify -> " + notify.status() + ", " + notify.json().path("queuedNow")
        + " e-mails queued");
    JsonNode counts = null;
    for (int i = 0; i < 150; i++) {
      counts = w.get(base, "/v1/incidents/" + id + "/notifications").json();
      if (counts.path("done").asBoolean()) {
        break;
      }
      Thread.sleep(100);
    }
    MimeMessage[] received = smtp.getReceivedMessages();
    List<String> to = new ArrayList<>();
    for (MimeMessage m : received) {
      to.add(m.getAllRecipients()[0].toString());
    }
    n.step("the local SMTP server received " + received.length + " e-mails, to " + to
        + (received.length > 0 ? "; subject: \"" + received[0].getSubject() + "\"" : ""));
    scene.check(counts != null && counts.path("done").asBoolean() && received.length == customers.size(),
        "every affected customer is told once, what was seen and what to do; each send is a ledger entry");
    Browser.Reply again = w.post(base, "/v1/incidents/" + id + "/notify", Map.of());
    scene.check(again.json().path("queuedNow").asInt() == 0, "notifying again queues nobody: at most once per customer");

    Browser.Reply report = w.get(base, "/v1/incidents/" + id + "/report");
    n.step("regulator report (JSON, and printable HTML at the same address): " + report.json().path("scope")
        .path("customers") + " customers, timeline of " + report.json().path("timeline").size() + " steps");
  }
}
