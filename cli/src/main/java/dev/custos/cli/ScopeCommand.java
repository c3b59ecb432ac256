package dev.custos.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.custos.server.Administration;
import dev.custos.server.ScopeDocuments;
import dev.custos.server.ScopeQuery;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custos.access.StaffId;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos scope}: what a set of staff saw in a window, from the installation's access index
 * (caught up with the ledger first). Runs while no server holds the data directory; the read is
 * recorded in the ledger ({@code custos.incident/v1} {@code scope.read}) before anything is printed.
 * With a server running, {@code --url} asks it ({@code GET /v1/scope} with a service token of scope
 * {@code incidents:scope}) and prints the same documents; anything but a scope in answer (an
 * unreachable server, a refused token, a problem answer) exits 2 with one line naming it.
 */
@Command(name = "scope", mixinStandardHelpOptions = true,
    description = {"The customers whose data the named staff saw in a window: fields (masked or revealed), first and "
        + "last access, staff, accesses, and counts by data category.",
        "Reads <data>/index (building it from the ledger if needed) while no Custos server uses the data directory; "
            + "with a server running, --url asks it (GET /v1/scope) with a service token of scope incidents:scope "
            + "(--token-file FILE or the environment variable CUSTOS_TOKEN). The read is recorded in the ledger."})
final class ScopeCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin
  ConfigOptions options;

  @Option(names = "--staff", required = true, paramLabel = "ID[,ID...]", description = "The staff to scope, comma-separated.")
  String staff;

  @Option(names = "--from", required = true, paramLabel = "ISO",
      description = "The window's start, inclusive: 2026-11-01T00:00:00Z or 2026-11-01 (midnight UTC).")
  String from;

  @Option(names = "--to", required = true, paramLabel = "ISO", description = "The window's end, exclusive.")
  String to;

  @Option(names = "--format", paramLabel = "json|csv", defaultValue = "json",
      description = "json (default: the scope with counts by category and field) or csv (one row per customer; the "
          + "counts by category go to standard error).")
  String format;

  @Option(names = "--url", paramLabel = "URL", description = "A running Custos server, e.g. http://127.0.0.1:8080, instead of --data.")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "With --url: a file holding a service token of scope incidents:scope (else the environment variable "
          + "CUSTOS_TOKEN).")
  Path tokenFile;

  @Spec
  CommandSpec spec;

  /** The environment, where CUSTOS_TOKEN is looked up; replaced in tests. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws Exception {
    ScopeQuery query;
    try {
      query = ScopeQuery.parse(staff, from, to);
    } catch (ScopeQuery.Invalid e) {
      throw new UsageException("--" + e.getMessage());
    }
    if (!format.equals("json") && !format.equals("csv")) {
      throw new UsageException("--format must be json or csv, not '" + format + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (url == null && tokenFile != null) {
      throw new UsageException("--token-file is for --url; a scope over --data needs no token");
    }
    if (url != null) {
      if (options.config != null || !options.flags().isEmpty()) {
        throw new UsageException("--url asks a running server: it excludes --data, --config, --db-url, --bind and --port");
      }
      JsonNode scope = online(query);
      if (format.equals("csv")) {
        out.print(ScopeDocuments.csv(scope));
        err.println("customers by data category: " + String.join(", ", ScopeDocuments.categoryLines(scope)));
      } else {
        out.println(JSON.writeValueAsString(scope));
      }
      err.println(scope.path("customers").asLong() + " customers, " + scope.path("accesses").asLong()
          + " accesses; index covers " + scope.path("coveredSize").asLong() + " ledger entries; read recorded at "
          + "ledger index " + scope.path("ledgerIndex").asLong());
      out.flush();
      err.flush();
      return Main.OK;
    }
    try (Administration admin = TokenCommand.open(options)) {
      admin.scope(query, TokenCommand.operator(), (scope, customers) -> {
        if (format.equals("csv")) {
          out.print(ScopeDocuments.csv(scope, customers));
          err.println("customers by data category: " + String.join(", ", ScopeDocuments.categoryLines(scope)));
        } else {
          try {
            out.println(JSON.writeValueAsString(ScopeDocuments.json(scope, customers)));
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the scope could not be written as JSON", e);
          }
        }
        err.println(scope.exposures().size() + " customers, " + scope.accesses() + " accesses; index covers "
            + scope.coveredSize() + " ledger entries");
      });
    }
    out.flush();
    err.flush();
    return Main.OK;
  }

  /** The server's scope document for {@code query}, or a {@link UsageException} naming why there is none. */
  private JsonNode online(ScopeQuery query) throws IOException, InterruptedException {
    URI base = ServerTarget.base(url);
    String token = ServerTarget.token(tokenFile, environment, "incidents:scope");
    String root = base.toString().replaceAll("/+$", "");
    String staffParam = query.staff().stream().map(StaffId::value).sorted().collect(Collectors.joining(","));
    URI target = URI.create(root + "/v1/scope?staff=" + encode(staffParam) + "&from=" + encode(query.from().toString())
        + "&to=" + encode(query.to().toString()) + "&format=json");
    HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(5))
        .header("Accept", "application/json").header("Authorization", "Bearer " + token).GET().build();
    HttpResponse<String> response;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("cannot reach " + root + ": " + Main.oneLine(String.valueOf(e.getMessage())));
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (response.statusCode() != 200) {
      String detail = body == null ? "" : body.path("detail").asText("");
      String title = body == null ? "" : body.path("title").asText("");
      String why = !detail.isEmpty() ? detail : title;
      throw new UsageException("the server answered " + response.statusCode()
          + (why.isEmpty() ? "" : ": " + Main.oneLine(why)));
    }
    if (body == null || !body.isObject() || !body.path("exposures").isArray()) {
      throw new UsageException("the server at " + root + " answered 200 without a scope document");
    }
    return body;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
