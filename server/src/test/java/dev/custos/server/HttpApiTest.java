package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP conventions every route inherits: problems, request ids, metrics, strict JSON. */
class HttpApiTest {
  record Greeting(String name, int times) {
    Greeting {
      if (times < 1 || times > 10) {
        throw new IllegalArgumentException("times must be 1..10");
      }
    }
  }

  static final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  static Javalin app;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    List<ApiRoute> routes = List.of(
        ApiRoute.post("/v1/greetings", "greet", "test", "test", "application/json",
            Map.of(200, "ok"), ctx -> ctx.json(Json.read(ctx, Greeting.class))),
        ApiRoute.get("/v1/items/{id}", "item", "test", "test", "application/json", Map.of(200, "ok"),
            ctx -> ctx.json(Map.of("id", ctx.pathParam("id")))),
        ApiRoute.get("/v1/boom", "boom", "test", "test", "application/json", Map.of(500, "always"),
            ctx -> {
              throw new IllegalStateException("secret internal state: password=hunter2");
            }));
    app = HttpApi.create("127.0.0.1", 0, routes, meters, RandomGenerator.of("L64X128MixRandom"), new ArrayList<>()).start();
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  private static HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String slug) throws Exception {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
    JsonNode p = json(r);
    assertThat(p.path("type").asText()).isEqualTo("urn:custos:problem:" + slug);
    assertThat(p.path("status").asInt()).isEqualTo(status);
    assertThat(p.path("title").asText()).isNotBlank();
    assertThat(p.path("detail").asText()).isNotBlank();
  }

  @Test
  void unknownRoute_isProblem404() throws Exception {
    assertProblem(send("GET", "/v1/nothing-here", null, null), 404, "not-found");
  }

  @Test
  void wrongMethod_isProblem405() throws Exception {
    assertProblem(send("DELETE", "/v1/greetings", null, null), 405, "method-not-allowed");
  }

  @Test
  void validJson_isParsedIntoTheRecord() throws Exception {
    var r = send("POST", "/v1/greetings", "application/json", "{\"name\":\"ada\",\"times\":2}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("name").asText()).isEqualTo("ada");
  }

  @Test
  void malformedJson_isProblem400_namingLineAndColumn() throws Exception {
    var r = send("POST", "/v1/greetings", "application/json", "{\"name\":\n \"ada\",, }");
    assertProblem(r, 400, "malformed-json");
    assertThat(json(r).path("line").asInt()).isEqualTo(2);
    assertThat(json(r).path("column").asInt()).isPositive();
    assertThat(json(r).path("detail").asText()).contains("line 2");
  }

  @Test
  void wrongFieldType_isProblem400_namingTheField() throws Exception {
    var r = send("POST", "/v1/greetings", "application/json", "{\"name\":\"ada\",\"times\":\"many\"}");
    assertProblem(r, 400, "invalid-field");
    assertThat(json(r).path("field").asText()).isEqualTo("times");
  }

  @Test
  void unknownField_isProblem400_namingTheField() throws Exception {
    var r = send("POST", "/v1/greetings", "application/json", "{\"name\":\"ada\",\"times\":1,\"admin\":true}");
    assertProblem(r, 400, "invalid-field");
    assertThat(json(r).path("field").asText()).isEqualTo("admin");
  }

  @Test
  void fieldFailingValidation_isProblem400_withTheRule() throws Exception {
    var r = send("POST", "/v1/greetings", "application/json", "{\"name\":\"ada\",\"times\":99}");
    assertProblem(r, 400, "invalid-field");
    assertThat(json(r).path("detail").asText()).contains("times must be 1..10");
    assertThat(json(r).path("field").asText()).isEqualTo("times");
  }

  @Test
  void emptyBody_isProblem400() throws Exception {
    assertProblem(send("POST", "/v1/greetings", "application/json", ""), 400, "malformed-json");
  }

  @Test
  void jsonNullBody_isProblem400_notAServerError() throws Exception {
    HttpResponse<String> r = send("POST", "/v1/greetings", "application/json", "null");
    assertProblem(r, 400, "malformed-json");
    assertThat(json(r).path("detail").asText()).contains("null");
  }

  @Test
  void nonJsonContentType_isProblem415() throws Exception {
    assertProblem(send("POST", "/v1/greetings", "text/plain", "hi"), 415, "unsupported-media-type");
  }

  @Test
  void oversizedBody_isProblem413_andClosesTheConnection() throws Exception {
    String big = "{\"name\":\"" + "a".repeat((int) HttpApi.MAX_REQUEST_BYTES + 10) + "\",\"times\":1}";
    HttpResponse<String> r = send("POST", "/v1/greetings", "application/json", big);
    assertProblem(r, 413, "payload-too-large");
    assertThat(r.headers().firstValue("connection")).as("the unread body ends the connection, announced")
        .hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
  }

  @Test
  void handlerBug_isProblem500_withoutStackTraceOrMessage() throws Exception {
    var r = send("GET", "/v1/boom", null, null);
    assertProblem(r, 500, "internal");
    assertThat(r.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException").doesNotContain("at dev.custos");
    assertThat(json(r).path("detail").asText()).contains(r.headers().firstValue("X-Request-Id").orElseThrow());
  }

  @Test
  void requestId_fromClient_isEchoed_andOtherwiseGenerated() throws Exception {
    var given = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/items/7"))
        .header("X-Request-Id", "client-id-12345").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(given.headers().firstValue("X-Request-Id")).hasValue("client-id-12345");
    var generated = send("GET", "/v1/items/7", null, null);
    assertThat(generated.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).hasSize(24));
  }

  @Test
  void responses_carrySecurityHeaders() throws Exception {
    var r = send("GET", "/v1/items/7", null, null);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
    assertThat(r.headers().firstValue("Server")).isEmpty();
  }

  @Test
  void metrics_areTaggedWithTheRouteTemplate_notTheRawPath() throws Exception {
    send("GET", "/v1/items/customer-123", null, null);
    send("GET", "/v1/does-not-exist/customer-456", null, null);
    assertThat(meters.find("http.server.requests").tag("route", "/v1/items/{id}").timer()).isNotNull();
    assertThat(meters.find("http.server.requests").tag("route", "NOT_FOUND").timer()).isNotNull();
    assertThat(meters.getMeters()).noneMatch(m -> String.valueOf(m.getId().getTag("route")).contains("customer-"));
  }

  @Test
  void malformedHttp_rejectedByJetty_isStillAProblem() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
      socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\nb\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 400");
      assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
      assertThat(answer).contains("\"type\":\"urn:custos:problem:bad-request\"").doesNotContain("<html");
    }
  }

  @Test
  void pathThatIsNotUtf8_isAProblemForEveryMethod_andClosesTheConnection() throws Exception {
    for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
        socket.getOutputStream().write((method + " /v1/items/%FF%FE HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 2\r\n\r\n{}").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        // readAllBytes returns only because the server closes the connection after its answer.
        String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(answer).as(method).startsWith("HTTP/1.1 400");
        assertThat(answer).as(method).containsIgnoringCase("Content-Type: application/problem+json")
            .containsIgnoringCase("Connection: close").contains("\"type\":\"urn:custos:problem:bad-request\"");
      }
    }
  }
}
