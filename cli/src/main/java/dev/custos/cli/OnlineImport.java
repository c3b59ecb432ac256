package dev.custos.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.custos.vault.Field;
import dev.custos.vault.PutResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An import into a running server: {@code PUT /v1/customers/{id}} per record with a service token
 * of scope {@code customers:write}, at most {@code concurrency} requests in flight. A 503 (the
 * ledger did not record a write, or the server is starting) or a lost connection is retried with
 * exponential backoff; a 400 or 409 fails its line with the problem's {@code detail}; anything else
 * (token refused, other errors) stops the import. Every stored record is its own ledger entry.
 *
 * <p>The token is held only here and sent only in the {@code Authorization} header; it is never
 * printed.
 */
final class OnlineImport implements ImportTarget {
  /** Tries of one request before the import stops: waits of 0.25, 0.5, 1, 2 and 4 s between them. */
  static final int ATTEMPTS = 6;
  /**
   * Numbers go out exactly as read; text as ASCII escapes, so that text the vault will refuse (an
   * unpaired surrogate) still reaches the server and fails its own line with the server's message.
   */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN).enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private final URI base;
  private final String token;
  private final HttpClient client;
  private final ExecutorService senders;
  private final Duration firstBackoff;

  /**
   * @param base the server's base URL, e.g. {@code http://127.0.0.1:8080/}
   * @param firstBackoff the wait after the first failed try; it doubles after each
   */
  OnlineImport(URI base, String token, int concurrency, Duration firstBackoff) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text : text + "/");
    this.token = Objects.requireNonNull(token, "token");
    this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
    this.senders = Executors.newFixedThreadPool(concurrency, Thread.ofPlatform().daemon().name("custos-import-", 0).factory());
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  @Override
  public String name() {
    return "url:" + base;
  }

  @Override
  public boolean knows(Field field) {
    return true;
  }

  @Override
  public Batch put(List<ImportRecord> batch) throws ImportStopped, InterruptedException {
    List<Future<LineResult>> pending = new ArrayList<>(batch.size());
    for (ImportRecord r : batch) {
      pending.add(senders.submit(() -> send(r)));
    }
    List<LineResult> out = new ArrayList<>(batch.size());
    ImportStopped stopped = null;
    for (Future<LineResult> f : pending) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        if (stopped == null) {
          stopped = e.getCause() instanceof ImportStopped s ? s
              : new ImportStopped("sending a record failed: " + Main.oneLine(String.valueOf(e.getCause())), e.getCause());
        }
      }
    }
    if (stopped != null) {
      throw stopped;
    }
    // The server writes one entry per record it created or changed, none for an unchanged one.
    return new Batch(out, out.stream()
        .filter(l -> l instanceof Stored st && st.outcome() != dev.custos.vault.PutResult.Outcome.UNCHANGED).count());
  }

  private LineResult send(ImportRecord r) throws ImportStopped, InterruptedException, IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/customers/" + r.id().value()))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(r.body())))
        .build();
    String lastProblem = "";
    for (int attempt = 1; ; attempt++) {
      HttpResponse<byte[]> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        lastProblem = "could not reach " + base + ": " + Main.oneLine(String.valueOf(e.getMessage()));
        response = null;
      }
      if (response != null) {
        int status = response.statusCode();
        switch (status) {
          case 200 -> {
            return new Stored(r.line(), outcome(response.body()));
          }
          case 400, 404, 409, 413, 422 -> {
            return new Failed(r.line(), problem(response.body(), status));
          }
          case 401 -> throw new ImportStopped("the server refused the token (401): " + problem(response.body(), status)
              + "; check --token-file or CUSTOS_TOKEN", null);
          case 403 -> throw new ImportStopped("the token may not write customers (403): " + problem(response.body(), status)
              + "; it needs the scope customers:write", null);
          case 429, 502, 503, 504 -> lastProblem = "the server answered " + status + ": " + problem(response.body(), status);
          default -> throw new ImportStopped("the server answered " + status + ": " + problem(response.body(), status), null);
        }
      }
      if (attempt == ATTEMPTS) {
        throw new ImportStopped(lastProblem + " (" + ATTEMPTS + " tries)", null);
      }
      Thread.sleep(firstBackoff.multipliedBy(1L << (attempt - 1)));
    }
  }

  private static PutResult.Outcome outcome(byte[] body) throws ImportStopped {
    try {
      String o = MAPPER.readTree(body).path("outcome").asText("");
      return PutResult.Outcome.valueOf(o.toUpperCase(Locale.ROOT));
    } catch (IOException | IllegalArgumentException e) {
      throw new ImportStopped("the server's answer to a PUT is not what Custos sends (no outcome); is --url a Custos server?", e);
    }
  }

  /** The problem's {@code detail}, and its {@code field} when the detail does not already name it. */
  private static String problem(byte[] body, int status) {
    try {
      JsonNode p = MAPPER.readTree(body);
      if (p == null) {
        return "HTTP " + status;
      }
      String detail = p.path("detail").asText("");
      String field = p.path("field").asText("");
      if (detail.isEmpty()) {
        return "HTTP " + status;
      }
      return Main.oneLine(field.isEmpty() || detail.contains(field) ? detail : field + ": " + detail);
    } catch (IOException e) {
      return "HTTP " + status;
    }
  }

  @Override
  public void close() {
    senders.shutdownNow();
    client.close();
  }
}
