package dev.custos.server;

import dev.custos.store.Installation;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Health, readiness, metrics, the API description, instance status and the instance page. */
final class SystemRoutes {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private SystemRoutes() {}

  static List<ApiRoute> all(Readiness readiness, PrometheusMeterRegistry meters, Installation installation,
      Instant startedAt, boolean embeddedDatabase, Supplier<List<ApiRoute>> everyRoute) {
    List<ApiRoute> routes = new ArrayList<>();
    routes.add(ApiRoute.get("/healthz", "healthz", "Liveness: the process answers HTTP", "operations",
        "application/json", Map.of(200, "The process is alive"),
        ctx -> ctx.json(Map.of("status", "ok"))));
    routes.add(ApiRoute.get("/readyz", "readyz", "Readiness: the database answers and the ledger directory is usable",
        "operations", "application/json",
        Map.of(200, "Ready to serve", 503, "Not ready; the problem's checks member says what is not"),
        ctx -> ready(ctx, readiness)));
    routes.add(ApiRoute.get("/metrics", "metrics", "Prometheus metrics: JVM, HTTP requests, database pool",
        "operations", PROMETHEUS_TEXT, Map.of(200, "Prometheus text exposition format"),
        ctx -> ctx.contentType(PROMETHEUS_TEXT).result(meters.scrape())));
    routes.add(ApiRoute.get("/openapi.json", "openapi", "This API's OpenAPI 3.1 description", "operations",
        "application/json", Map.of(200, "OpenAPI 3.1 document"),
        ctx -> ctx.json(OpenApi.document(everyRoute.get(), Version.current()))));
    routes.add(ApiRoute.get("/v1/status", "getStatus", "Version and identity of this Custos instance", "operations",
        "application/json", Map.of(200, "Instance status"),
        ctx -> ctx.json(status(installation, startedAt, embeddedDatabase))));
    routes.add(ApiRoute.get("/", "instancePage", "A page describing this instance, with links for operators",
        "console", "text/html", Map.of(200, "HTML page"),
        ctx -> ctx.html(InstancePage.render(installation, startedAt, embeddedDatabase, readiness.check()))));
    routes.add(ApiRoute.get("/assets/custos.css", "stylesheet", "The console's stylesheet", "console", "text/css",
        Map.of(200, "CSS"), resource("custos.css", "text/css; charset=utf-8", true)));
    routes.add(ApiRoute.get("/login", "signInPage", "The staff sign-in page", "console", "text/html",
        Map.of(200, "HTML"), resource("login.html", "text/html; charset=utf-8", false)));
    routes.add(ApiRoute.get("/assets/login.js", "signInScript", "The sign-in page's script", "console",
        "text/javascript", Map.of(200, "JavaScript"), resource("login.js", "text/javascript; charset=utf-8", true)));
    routes.add(ApiRoute.get("/assets/console.css", "consoleStylesheet", "The console's own styles", "console", "text/css",
        Map.of(200, "CSS"), resource("console/console.css", "text/css; charset=utf-8", true)));
    routes.add(ApiRoute.get("/assets/console.js", "consoleScript", "The console's script (step-up dialog, focus)",
        "console", "text/javascript", Map.of(200, "JavaScript"),
        resource("console/console.js", "text/javascript; charset=utf-8", true)));
    routes.add(ApiRoute.get("/assets/htmx.min.js", "htmx", "htmx 2.0.4 (0BSD), served from this origin", "console",
        "text/javascript", Map.of(200, "JavaScript"), resource("console/htmx.min.js", "text/javascript; charset=utf-8", true)));
    return routes;
  }

  private static void ready(Context ctx, Readiness readiness) {
    Map<String, String> checks = readiness.check();
    List<String> failing = checks.entrySet().stream().filter(e -> !e.getValue().equals("ok"))
        .map(e -> e.getKey() + ": " + e.getValue()).toList();
    if (failing.isEmpty()) {
      ctx.json(Map.of("status", "ready", "checks", checks));
    } else {
      HttpApi.problem(ctx, Problem.of(ProblemType.NOT_READY, String.join("; ", failing)).with("checks", checks));
    }
  }

  private static Map<String, Object> status(Installation installation, Instant startedAt, boolean embeddedDatabase) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", "custos");
    m.put("version", Version.current());
    m.put("installation", Map.of("id", installation.id().toString(), "createdAt", installation.createdAt().toString(),
        "starts", installation.starts()));
    m.put("startedAt", startedAt.toString());
    m.put("database", embeddedDatabase ? "embedded" : "external");
    return m;
  }

  /**
   * Serves a static resource of the console, read once when the routes are built; assets may be
   * cached, pages never (no-store stays).
   */
  static io.javalin.http.Handler resource(String name, String type, boolean cacheable) {
    byte[] bytes;
    try (InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " missing from the build");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + name + " from the build", e);
    }
    return ctx -> {
      if (cacheable) {
        ctx.header("Cache-Control", "public, max-age=3600");
      }
      ctx.contentType(type).result(bytes);
    };
  }

}
