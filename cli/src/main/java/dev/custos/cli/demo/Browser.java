package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One client of Custos in the demo — a person's browser (cookies and the CSRF token, kept by hand)
 * or another system (the exchange's backend, the ticket system) sending its own headers.
 */
final class Browser {
  static final ObjectMapper JSON = new ObjectMapper();

  final String name;
  final Map<String, String> cookies = new HashMap<>();
  String csrf;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Browser(String name) {
    this.name = name;
  }

  record Reply(int status, JsonNode json) {}

  Reply post(URI base, String path, Object body) throws Exception {
    return send(base, "POST", path, JSON.writeValueAsBytes(body), Map.of());
  }

  Reply get(URI base, String path) throws Exception {
    return send(base, "GET", path, null, Map.of());
  }

  /** Sends exactly {@code body} (e.g. the signed bytes of a webhook) with extra {@code headers}. */
  Reply send(URI base, String method, String path, byte[] body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10));
    if (!cookies.isEmpty()) {
      b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    headers.forEach(b::header);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    for (String set : r.headers().allValues("set-cookie")) {
      String pair = set.split(";", 2)[0];
      int eq = pair.indexOf('=');
      if (eq + 1 == pair.length()) {
        cookies.remove(pair.substring(0, eq));
      } else {
        cookies.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    JsonNode json = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    if (json.has("csrfToken")) {
      csrf = json.get("csrfToken").asText();
    }
    return new Reply(r.statusCode(), json);
  }
}
