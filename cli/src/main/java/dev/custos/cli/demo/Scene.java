package dev.custos.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custos.server.Custos;
import dev.custos.server.CustosConfig;
import dev.custos.server.StartupException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a chapter works with: the narrator, the running Custos instance (which a chapter may
 * stop and start again on the same data directory), and an HTTP client for it.
 */
public final class Scene implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Narrator narrator;
  private CustosConfig config;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Custos custos;
  private String lastInstallation;
  private long lastLedgerSize = -1;
  private Duration detectionWarmUp;
  private final java.util.Map<String, Object> notes = new java.util.HashMap<>();

  public Scene(Narrator narrator, CustosConfig config) {
    this.narrator = narrator;
    this.config = config;
  }

  public Narrator narrator() {
    return narrator;
  }

  public CustosConfig config() {
    return config;
  }

  /** The running instance; starts it, narrating each step, when none runs. */
  public Custos custos() throws StartupException {
    if (custos == null) {
      custos = detectionWarmUp == null
          ? Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), narrator::step)
          : Custos.start(config, InstantSource.system(), RandomGenerator.getDefault(), narrator::step, detectionWarmUp);
    }
    return custos;
  }

  /** Stops the running instance, if any, and uses {@code changed} from the next start on. */
  public void reconfigure(CustosConfig changed) {
    stop();
    this.config = changed;
  }

  /**
   * Stops the running instance, if any, and starts the next with detection's warm-up set to {@code d}
   * (zero: the detector acts on a fresh installation before it has learnt anything).
   */
  public void detectionWarmUp(Duration d) {
    stop();
    this.detectionWarmUp = d;
  }

  /** Stops the running instance, if any. */
  public void stop() {
    if (custos != null) {
      lastInstallation = custos.installation().id().toString();
      lastLedgerSize = custos.ledger().durableSize(); // every acknowledged entry, published or not
      custos.close();
      custos = null;
    }
  }

  /** The installation id of the instance last stopped, or null. */
  public String lastInstallation() {
    return lastInstallation;
  }

  /** The number of durable ledger entries when the instance last stopped, or -1. */
  public long lastLedgerSize() {
    return lastLedgerSize;
  }

  /** A GET against the running instance. */
  public Response get(String path) throws IOException, InterruptedException, StartupException {
    URI uri = custos().baseUri().resolve(path);
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""),
        r.headers().map(), r.body());
  }

  /** Remembers what a chapter found for a later chapter (say, the customers an insider saw). */
  public void note(String key, Object value) {
    notes.put(key, value);
  }

  /** What an earlier chapter noted under {@code key}; a story missing it fails. */
  @SuppressWarnings("unchecked")
  public <T> T noted(String key) throws DemoFailure {
    Object v = notes.get(key);
    if (v == null) {
      throw new DemoFailure("an earlier chapter should have noted " + key);
    }
    return (T) v;
  }

  /** Fails the story with {@code message} unless {@code condition} holds; narrates it when it does. */
  public void check(boolean condition, String message) throws DemoFailure {
    if (!condition) {
      throw new DemoFailure(message);
    }
    narrator.ok(message);
  }

  @Override
  public void close() {
    stop();
  }

  /** An HTTP response as the demo sees it. */
  public record Response(int status, String contentType, java.util.Map<String, List<String>> headers, byte[] bodyBytes) {
    /** The first value of header {@code name} (any case), or "". */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse("");
    }

    public String body() {
      return new String(bodyBytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    public JsonNode json() throws IOException {
      return JSON.readTree(bodyBytes);
    }
  }
}
