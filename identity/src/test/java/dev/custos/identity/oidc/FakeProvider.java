package dev.custos.identity.oidc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.custos.access.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import net.minidev.json.JSONObject;

/**
 * An OpenID provider made of a JDK HTTP server whose metadata and token endpoint answer whatever
 * a test sets: for the provider behaviours mock-oauth2-server cannot be made to show.
 */
final class FakeProvider implements AutoCloseable {
  /** One request the token endpoint received. */
  record Received(Map<String, List<String>> headers, String body) {}

  /** What an endpoint answers. */
  record Answer(int status, String body) {}

  final HttpServer server;
  final Map<String, Object> metadata = new LinkedHashMap<>();
  final AtomicReference<Answer> metadataAnswer = new AtomicReference<>();
  final AtomicReference<Answer> tokenAnswer = new AtomicReference<>(new Answer(400, "{\"error\":\"invalid_grant\"}"));
  final AtomicReference<Received> lastTokenRequest = new AtomicReference<>();

  FakeProvider() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String base = issuer().toString();
    metadata.put("issuer", base);
    metadata.put("authorization_endpoint", base + "/authorize");
    metadata.put("token_endpoint", base + "/token");
    metadata.put("jwks_uri", base + "/jwks");
    metadata.put("response_types_supported", List.of("code"));
    metadata.put("subject_types_supported", List.of("public"));
    metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
    metadata.put("code_challenge_methods_supported", List.of("S256"));
    server.createContext("/.well-known/openid-configuration", exchange -> {
      Answer fixed = metadataAnswer.get();
      respond(exchange, fixed != null ? fixed : new Answer(200, new JSONObject(metadata).toJSONString()));
    });
    server.createContext("/token", exchange -> {
      lastTokenRequest.set(new Received(Map.copyOf(exchange.getRequestHeaders()),
          new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      respond(exchange, tokenAnswer.get());
    });
    server.start();
  }

  URI issuer() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  OidcSettings.Builder settings() {
    return OidcSettings.builder()
        .issuer(issuer())
        .clientId(MockProvider.CLIENT_ID)
        .clientSecret(MockProvider.CLIENT_SECRET)
        .redirectUri(MockProvider.REDIRECT)
        .groupRoles(Map.of("support-agents", Set.of(Role.SUPPORT_L1)));
  }

  private static void respond(HttpExchange exchange, Answer answer) throws IOException {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    try (var out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
