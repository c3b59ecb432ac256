package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.identity.AuthEvent;
import dev.custos.identity.IssuedToken;
import dev.custos.identity.Scope;
import dev.custos.identity.ServiceToken;
import dev.custos.identity.ServiceTokenStore;
import dev.custos.identity.ServiceTokens;
import dev.custos.identity.StoredToken;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service-token routes record every accepted use as a {@code token.used} auth event, before the handler runs. */
class ServiceAuthTest {
  /** Tokens in a map: enough for the HTTP layer (the PostgreSQL store is tested in store). */
  static final class MapTokenStore implements ServiceTokenStore {
    private final Map<String, StoredToken> tokens = new HashMap<>();

    @Override
    public synchronized void insert(StoredToken token) {
      tokens.put(token.token().id(), token);
    }

    @Override
    public synchronized Optional<StoredToken> find(String id) {
      return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public synchronized List<ServiceToken> list() {
      return tokens.values().stream().map(StoredToken::token).toList();
    }

    @Override
    public synchronized boolean revoke(String id, Instant at) {
      return false;
    }

    @Override
    public void recordUse(String id, Instant at, Instant notBefore) {}
  }

  private final List<AuthEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicBoolean ledgerDown = new AtomicBoolean();
  private final AtomicInteger handled = new AtomicInteger();
  private final ServiceTokens tokens = new ServiceTokens(new MapTokenStore(), InstantSource.system(), new SecureRandom());
  private final HttpClient client = HttpClient.newHttpClient();
  private Javalin app;
  private IssuedToken token;

  @BeforeEach
  void start() {
    ServiceAuth auth = new ServiceAuth(tokens, e -> {
      if (ledgerDown.get()) {
        throw new IllegalStateException("ledger down");
      }
      events.add(e);
    }, InstantSource.system(), new SimpleMeterRegistry());
    List<ApiRoute> routes = List.of(
        ApiRoute.get("/v1/things/{id}", "thing", "test", "test", "application/json", Map.of(200, "ok"), ctx -> {
          handled.incrementAndGet();
          ctx.json(Map.of("id", ctx.pathParam("id")));
        }).requiringServiceToken(auth, Scope.LEDGER_APPEND),
        ApiRoute.post("/v1/self-recorded", "self", "test", "test", "application/json", Map.of(200, "ok"), ctx -> {
          handled.incrementAndGet();
          ctx.json(Map.of());
        }).requiringServiceTokenRecordedByHandler(auth, Scope.LEDGER_APPEND));
    app = HttpApi.create("127.0.0.1", 0, routes, new SimpleMeterRegistry(), RandomGenerator.getDefault(), new ArrayList<>())
        .start();
    token = tokens.issue("wallet-service", Set.of(Scope.LEDGER_APPEND), Optional.empty());
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  private HttpResponse<String> send(String method, String path, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void acceptedRequest_isRecordedAsTokenUse_withTokenScopeAndRouteTemplate() throws Exception {
    assertThat(send("GET", "/v1/things/42", token.revealText()).statusCode()).isEqualTo(200);

    assertThat(events).hasSize(1);
    AuthEvent e = events.getFirst();
    assertThat(e.type()).isEqualTo(AuthEvent.Type.TOKEN_USED);
    assertThat(e.staff()).isEmpty();
    assertThat(e.address()).contains("127.0.0.1");
    assertThat(e.detail()).containsEntry("token", token.token().id()).containsEntry("name", "wallet-service")
        .containsEntry("scope", Scope.LEDGER_APPEND.wireName()).containsEntry("route", "GET /v1/things/{id}");
    assertThat(e.detail().values()).noneMatch(v -> v.contains(token.revealText()));
  }

  @Test
  void refusedToken_isNotATokenUse() throws Exception {
    assertThat(send("GET", "/v1/things/42", "cst_aaaaaaaaaaaaaaaa_nope").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/v1/things/42", null).statusCode()).isEqualTo(401);

    assertThat(events).isEmpty();
  }

  @Test
  void routeRecordedByItsHandler_addsNoTokenUse() throws Exception {
    assertThat(send("POST", "/v1/self-recorded", token.revealText()).statusCode()).isEqualTo(200);

    assertThat(events).isEmpty();
    assertThat(handled.get()).isEqualTo(1);
  }

  @Test
  void useThatCannotBeRecorded_isRefused_beforeTheHandlerRuns() throws Exception {
    ledgerDown.set(true);

    HttpResponse<String> r = send("GET", "/v1/things/42", token.revealText());

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("urn:custos:problem:not-ready");
    assertThat(handled.get()).isZero();
  }
}
