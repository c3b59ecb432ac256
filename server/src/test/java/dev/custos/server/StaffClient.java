package dev.custos.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.identity.TotpSecret;
import dev.custos.identity.Totp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A member of staff talking to Custos over HTTP, keeping cookies by hand (so they can be carried to another instance). */
final class StaffClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  final Map<String, String> cookies = new LinkedHashMap<>();
  String csrf;

  record Reply(int status, JsonNode json, HttpResponse<String> raw) {}

  Reply send(URI base, String method, String path, Object body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    if (!cookies.isEmpty()) {
      b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    for (String set : r.headers().allValues("set-cookie")) {
      String pair = set.split(";", 2)[0];
      String name = pair.substring(0, pair.indexOf('='));
      String value = pair.substring(pair.indexOf('=') + 1);
      if (value.isEmpty()) {
        cookies.remove(name);
      } else {
        cookies.put(name, value);
      }
    }
    boolean text = r.headers().firstValue("content-type").map(t -> t.startsWith("text/")).orElse(false);
    JsonNode json = r.body().isEmpty() || text ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(r.body());
    if (json.has("csrfToken")) {
      csrf = json.get("csrfToken").asText();
    }
    return new Reply(r.statusCode(), json, r);
  }

  Reply get(URI base, String path) throws Exception {
    return send(base, "GET", path, null);
  }

  Reply post(URI base, String path, Object body) throws Exception {
    return send(base, "POST", path, body);
  }

  Reply put(URI base, String path, Object body) throws Exception {
    return send(base, "PUT", path, body);
  }

  /** Password then TOTP; returns the answer to the second step (or the first, if it failed). */
  Reply login(URI base, String user, String password, TotpSecret totp) throws Exception {
    return login(base, user, password, () -> Totp.DEFAULT.codeAt(totp, Instant.now()));
  }

  /** Password then the TOTP {@code code} given (for a test that must know the very code it sent). */
  Reply login(URI base, String user, String password, String code) throws Exception {
    return login(base, user, password, () -> code);
  }

  /** Password, then the code {@code code} gives once the password step has passed. */
  private Reply login(URI base, String user, String password, java.util.function.Supplier<String> code) throws Exception {
    Reply first = post(base, "/v1/session/login", Map.of("username", user, "password", password));
    if (first.status() != 200) {
      return first;
    }
    return post(base, "/v1/session/login/second-factor", Map.of("factor", "totp", "code", code.get()));
  }

  List<String> cookieNames() {
    return List.copyOf(cookies.keySet());
  }
}
