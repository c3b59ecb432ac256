package dev.custos.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Custos: thin handlers over the core, one request log line and one timer
 * sample per request, and RFC 9457 problems for every error. No stack trace reaches a client.
 */
final class HttpApi {
  /** Javalin's per-response copy buffer (see {@link #create}). */
  static final int RESPONSE_COPY_BUFFER = 4096;
  static final String REQUEST_ID = "X-Request-Id";
  private static final String REQUEST_ID_ATTR = "custos.requestId";
  private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._\\-]{8,64}");
  private static final Logger requestLog = LoggerFactory.getLogger("custos.http");
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  static final String PROBLEM_JSON = "application/problem+json";
  /** Largest request body accepted: 1 MiB. Larger bodies answer 413 without being read. */
  static final long MAX_REQUEST_BYTES = 1 << 20;

  private HttpApi() {}

  /**
   * Creates (does not start) the HTTP server.
   *
   * @param routes every route; each is registered and described in {@code /openapi.json}
   * @param registered receives "METHOD path" of every handler Javalin registers, for the check
   *     that no route escapes the API description
   */
  static Javalin create(String bind, int port, List<ApiRoute> routes, MeterRegistry meters, RandomGenerator random,
      List<String> registered) {
    return Javalin.create(config -> {
      config.events.handlerAdded(h -> registered.add(h.getHttpMethod().name() + " " + h.getPath()));
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.concurrency.useVirtualThreads = true;
      config.http.prefer405over404 = true;
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.http.generateEtags = false;
      // Javalin copies each answer into Jetty's (pooled) output buffer through a buffer it allocates
      // per response, by default as large as Jetty's (32 KiB): the largest garbage of every request.
      config.http.responseBufferSize = RESPONSE_COPY_BUFFER;
      config.jetty.host = bind;
      config.jetty.port = port;
      config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
      config.jetty.modifyHttpConfiguration(h -> {
        h.setSendServerVersion(false);
        h.setSendXPoweredBy(false);
      });
      config.jsonMapper(new JavalinJackson(Json.MAPPER, true));

      config.routes.before(ctx -> {
        String id = ctx.header(REQUEST_ID);
        if (id == null || !CLIENT_REQUEST_ID.matcher(id).matches()) {
          byte[] b = new byte[12];
          // The injected generator need not be thread-safe (RandomGenerator.getDefault() is not), and
          // request threads run concurrently: without the lock two requests could share an id.
          synchronized (random) {
            random.nextBytes(b);
          }
          id = HexFormat.of().formatHex(b);
        }
        ctx.attribute(REQUEST_ID_ATTR, id);
        ctx.header(REQUEST_ID, id);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        ctx.header("X-Frame-Options", "DENY");
      });

      for (ApiRoute r : routes) {
        config.routes.addHttpHandler(r.method(), r.path(), r.handler());
      }

      config.routes.exception(ApiException.class, (e, ctx) -> problem(ctx, e.problem()));
      config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, fromJavalin(e.getStatus(), ctx)));
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.error("request {} {} failed (request id {})", ctx.method(), route(ctx), requestId(ctx), e);
        problem(ctx, Problem.of(ProblemType.INTERNAL,
            "the server could not complete the request; quote request id " + requestId(ctx) + " to an operator"));
      });
      for (int status : new int[] {404, 405, 413}) {
        config.routes.error(status, ctx -> {
          if (status == 413) {
            // The body was refused unread: close the connection, and say so, so that the client does not
            // send its next request down a connection about to be closed.
            ctx.header("Connection", "close");
          }
          if (!isProblem(ctx)) {
            problem(ctx, fromJavalin(ctx.statusCode(), ctx));
          }
        });
      }

      Map<String, Timer> timers = new ConcurrentHashMap<>();
      config.requestLogger.http((ctx, ms) -> {
        String route = route(ctx);
        int status = ctx.statusCode();
        String method = ctx.method().name();
        // One timer per method, route template and status, built once (not a builder per request).
        timers.computeIfAbsent(method + ' ' + status + ' ' + route, k -> Timer.builder("http.server.requests")
                .description("HTTP requests by method, route template and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1))
                .maximumExpectedValue(java.time.Duration.ofSeconds(10))
                .register(meters))
            .record((long) (ms * 1_000_000L), TimeUnit.NANOSECONDS);
        if (requestLog.isInfoEnabled()) {
          requestLog.info("request id={} method={} route={} status={} duration_ms={}",
              requestId(ctx), method, route, status, String.format(java.util.Locale.ROOT, "%.2f", ms));
        }
      });
    });
  }

  private static Problem fromJavalin(int status, Context ctx) {
    return switch (status) {
      case 404 -> Problem.of(ProblemType.NOT_FOUND, "no resource at " + safePath(ctx));
      case 405 -> Problem.of(ProblemType.METHOD_NOT_ALLOWED, ctx.method() + " is not allowed on " + safePath(ctx));
      case 413 -> Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "request bodies are limited to " + MAX_REQUEST_BYTES + " bytes");
      case 415 -> Problem.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "unsupported media type");
      default -> status >= 500
          ? Problem.of(ProblemType.INTERNAL, "the server could not complete the request")
          : new Problem(ProblemType.BAD_REQUEST, status, "the request was refused", java.util.Map.of());
    };
  }

  /**
   * Answers {@code body} as {@code application/json}, encoded straight to UTF-8 bytes: the hot
   * routes' answers (a customer's fields) would otherwise become a string, often UTF-16 for one
   * masking bullet, and then bytes again.
   */
  static void json(Context ctx, Object body) {
    try {
      ctx.contentType(io.javalin.http.ContentType.APPLICATION_JSON).result(Json.MAPPER.writeValueAsBytes(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an answer as JSON", e);
    }
  }

  /** Writes one answer's JSON to a generator (a route's streamed body). */
  @FunctionalInterface
  interface JsonBody {
    void writeTo(JsonGenerator g) throws IOException;
  }

  /**
   * Answers the JSON that {@code body} writes, as {@code application/json}: streamed to UTF-8 bytes
   * without a tree of nodes (the masked read's answer; a tree cost a node per value and a map per object).
   */
  static void json(Context ctx, JsonBody body) {
    ByteArrayBuilder out = new ByteArrayBuilder(1024);
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      body.writeTo(g);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an answer as JSON", e);
    }
    ctx.contentType(io.javalin.http.ContentType.APPLICATION_JSON).result(out.toByteArray());
  }

  static void problem(Context ctx, Problem p) {
    ctx.status(p.status());
    ctx.contentType(PROBLEM_JSON);
    ctx.result(Json.write(p.body(null)));
  }

  private static boolean isProblem(Context ctx) {
    String ct = ctx.res().getContentType();
    return ct != null && ct.startsWith(PROBLEM_JSON);
  }

  /** The matched route template, or a fixed label, so metrics and logs never carry raw paths. */
  static String route(Context ctx) {
    try {
      var endpoint = ctx.endpoint();
      if (endpoint != null && endpoint.path != null && !endpoint.path.equals("*")) {
        return endpoint.path;
      }
    } catch (RuntimeException e) {
      // no endpoint matched
    }
    return ctx.statusCode() == 405 ? "METHOD_NOT_ALLOWED" : "NOT_FOUND";
  }

  /** The request path with anything beyond a modest length cut, for problem details. */
  private static String safePath(Context ctx) {
    String p = ctx.path().replaceAll("[^A-Za-z0-9/._\\-~%]", "?");
    return p.length() > 120 ? p.substring(0, 117) + "..." : p;
  }

  static String requestId(Context ctx) {
    String id = ctx.attribute(REQUEST_ID_ATTR);
    return id == null ? "-" : id;
  }

  /**
   * A list route's {@code ?limit=}: 100 when absent, else a whole number from 1 to 1000; anything
   * else is a problem naming the parameter.
   */
  static int limit(String text) {
    if (text == null) {
      return 100;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= 1000) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new ApiException(Problem.of(ProblemType.INVALID_PARAMETER, "limit must be an integer from 1 to 1000")
        .with("parameter", "limit"));
  }
}
