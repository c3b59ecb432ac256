package dev.custos.e2e;

import dev.custos.access.Role;
import dev.custos.access.StaffId;
import dev.custos.identity.Password;
import dev.custos.identity.Scope;
import dev.custos.identity.StaffAccount;
import dev.custos.identity.StaffAdmin;
import dev.custos.identity.TotpSecret;
import dev.custos.server.Administration;
import dev.custos.server.ConfigLoader;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import dev.custos.server.WebhookSignature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A running Custos for the console's browser tests: staff of each kind (each on their own team, so
 * four-eyes rules do not refuse them for sharing one), a backend token that writes customers, and the
 * ticket system's signed webhook. Served on {@code http://localhost:<port>} (WebAuthn needs a secure
 * context; localhost is one). Detection's warm-up is off, so the scripted insider meets it at once;
 * the reveal's second-factor window is a few seconds, so the test sees the step-up without waiting minutes.
 */
final class ConsoleWorld implements AutoCloseable {
  static final String PASSWORD = "marmot cinnamon velvet harbour";
  static final Duration MFA_WINDOW = Duration.ofSeconds(4);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  final Custos custos;
  final Map<String, TotpSecret> totp = new LinkedHashMap<>();
  private final String token;
  private final WebhookSignature webhook;

  /** The configuration on a port picked free now (the WebAuthn origin names the port, so it is fixed beforehand). */
  private static CustosConfig config(Path temp) throws Exception {
    return ConfigLoader.load(Map.of("data", temp.resolve("data").toString(), "http.port",
        Integer.toString(freePort())), Map.of("CUSTOS_ACCESS_MFA_WINDOW", MFA_WINDOW.toSeconds() + "s",
        "CUSTOS_QUOTA_BREAK_GLASS_CUSTOMERS_PER_DAY", "1000"), null, temp);
  }

  /** A port free now. */
  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Makes a configuration. */
  interface ConfigSource {
    CustosConfig next() throws Exception;
  }

  /** Starts Custos on a configuration. */
  interface Starter {
    Custos start(CustosConfig config) throws Exception;
  }

  /**
   * Starts Custos on {@code config}, whose port was picked free beforehand (the WebAuthn origin names
   * it). The embedded PostgreSQL started in between picks its own free port and was given the same one
   * about once in 5,000 runs ("cannot listen"): then up to twice more, on configurations from {@code again}.
   */
  static Custos startOnPickedPort(CustosConfig config, ConfigSource again, Starter starter) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return starter.start(config);
      } catch (dev.custos.server.StartupException e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).startsWith("cannot listen")) {
          throw e;
        }
        config = again.next();
      }
    }
  }

  ConsoleWorld(Path temp, Map<String, Role> staff, Map<String, String> teams) throws Exception {
    CustosConfig config = config(temp);
    try (Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault());
        Password p = Password.copyOf(PASSWORD.toCharArray())) {
      for (var e : staff.entrySet()) {
        StaffAccount a = StaffAccount.create(new StaffId(e.getKey()), displayName(e.getKey()), Set.of(e.getValue()),
            Optional.of(teams.getOrDefault(e.getKey(), "team-" + e.getKey())), StaffAccount.Origin.LOCAL, Instant.now());
        var outcome = (StaffAdmin.Outcome.Done<StaffAdmin.Enrolment>) admin.staff().createLocal(a, p, "e2e");
        totp.put(e.getKey(), outcome.value().totp().secret());
      }
      token = admin.issueToken("backend", Set.of(Scope.CUSTOMERS_WRITE), Optional.empty(), "e2e").token().revealText();
      webhook = admin.ticketWebhook();
    }
    custos = startOnPickedPort(config, () -> config(temp), c -> Custos.start(c, InstantSource.system(),
        RandomGenerator.getDefault(), Custos.Progress.NONE, Duration.ZERO));
  }

  private static String displayName(String id) {
    String first = id.split("-")[0];
    return Character.toUpperCase(first.charAt(0)) + first.substring(1);
  }

  String url(String path) {
    return "http://localhost:" + custos.baseUri().getPort() + path;
  }

  /** Writes a customer as the backend would. */
  void customer(String id, String name, String email, String phone, String govId) throws Exception {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("name", name);
    f.put("email", email);
    f.put("phone", phone);
    f.put("date_of_birth", "1987-04-12");
    f.put("address", Map.of("line1", "221B Baker Street", "city", "London", "postcode", "NW1 6XE", "country", "GB"));
    f.put("nationality", "GB");
    f.put("government_id", govId);
    f.put("bank_account", "GB29NWBK60161331926819");
    f.put("balances", Map.of("BTC", "1.52", "USD", "12500.10"));
    f.put("account_tier", "standard");
    f.put("account_status", "active");
    f.put("kyc_status", "verified");
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/customers/" + id)))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("fields", f)))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("customer " + id + " not written: " + r.body());
    }
  }

  /** An open ticket of {@code customer} assigned to {@code assignee}, sent as the ticket system would. */
  void ticket(String id, String customer, String assignee) throws Exception {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("id", id);
    t.put("requester_id", customer);
    t.put("assignee_id", assignee);
    t.put("status", "open");
    t.put("channel", "email");
    t.put("category", "account-access");
    t.put("created_by_staff", false);
    t.put("updated_at", Instant.now().toString());
    byte[] body = JSON.writeValueAsBytes(Map.of("event", "created", "ticket", t));
    String timestamp = Instant.now().toString();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url("/v1/integrations/tickets")))
        .header("Content-Type", "application/json")
        .header(WebhookSignature.SIGNATURE_HEADER, webhook.sign(timestamp, body))
        .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException("ticket " + id + " not applied: " + r.body());
    }
  }

  List<String> staff() {
    return List.copyOf(totp.keySet());
  }

  @Override
  public void close() {
    custos.close();
  }
}
