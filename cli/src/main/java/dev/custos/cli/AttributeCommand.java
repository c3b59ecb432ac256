package dev.custos.cli;

import dev.custos.server.Administration;
import dev.custos.server.CustosConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos attribute --sample FILE}: ranks staff and sessions by how well their accesses
 * explain a leaked sample, over a data directory no server holds, and records the attribution in
 * the ledger ({@code custos.incident/v1}).
 */
@Command(name = "attribute", mixinStandardHelpOptions = true,
    description = {"Rank staff and sessions by how well their accesses explain a leaked sample, with the chance that",
        "the overlap is a coincidence given each one's normal volume. The sample is JSON lines or CSV with a header;",
        "keys/columns customer_id, email, phone, government_id identify customers, and so does a name in clear",
        "when exactly one of the customers seen in the window (at most 20,000) has it, read under a ledger entry;",
        "every other key is a field that leaked (a value with * or xxx in it leaked masked, else in clear).",
        "Works on the data directory (--data, default ./custos-data) while no server uses it, or asks a running",
        "server (--url) with a service token of scope incidents:attribute (--token-file FILE or the environment",
        "variable CUSTOS_TOKEN; never on the command line). The attribution is recorded in the ledger.",
        "Exit 0 when done, 1 when the server refused or failed, 2 for bad usage or input (the sample's line named)."})
final class AttributeCommand implements Callable<Integer> {
  /** A leaked sample is evidence, not a dump: bigger files are attributed from a sample of them. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  @Mixin
  ConfigOptions options;

  @Option(names = "--sample", required = true, paramLabel = "FILE", description = "The leaked records (UTF-8).")
  Path sample;

  @Option(names = "--incident", paramLabel = "ID", defaultValue = "-",
      description = "The incident the attribution belongs to (recorded in the ledger; default -).")
  String incident;

  @Option(names = "--watermark", paramLabel = "CODE",
      description = "A watermark code read from a leaked picture (repeatable).")
  List<String> watermarks = new ArrayList<>();

  @Option(names = "--from", paramLabel = "INSTANT", description = "Only accesses at or after this ISO-8601 instant.")
  String from;

  @Option(names = "--to", paramLabel = "INSTANT", description = "Only accesses before this ISO-8601 instant.")
  String to;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "Staff and sessions shown (default 10).")
  int limit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
  String format;

  @Option(names = "--url", paramLabel = "URL", description = "A running Custos server, e.g. http://127.0.0.1:8080, instead of --data.")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "With --url: a file holding the service token (else the environment variable CUSTOS_TOKEN).")
  Path tokenFile;

  @Spec
  CommandSpec spec;

  /** The environment, where CUSTOS_TOKEN is looked up; replaced in tests. */
  java.util.Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws Exception {
    if (!format.equals("text") && !format.equals("json")) {
      throw new UsageException("--format must be text or json, not '" + format + "'");
    }
    if (limit < 1 || limit > 1000) {
      throw new UsageException("--limit must be 1 to 1000, not " + limit);
    }
    if (!incident.equals("-") && !incident.matches("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")) {
      throw new UsageException("--incident must be 1 to 64 letters, digits and . _ : -");
    }
    Optional<Instant> start = instant("--from", from);
    Optional<Instant> end = instant("--to", to);
    String text = read(sample);
    if (url == null && tokenFile != null) {
      throw new UsageException("--token-file is for --url; an attribution over --data needs no token");
    }
    if (url != null) {
      if (options.config != null || !options.flags().isEmpty()) {
        throw new UsageException("--url asks a running server: it excludes --data, --config, --db-url, --bind and --port");
      }
      return online(text, start, end);
    }
    CustosConfig config = options.load();
    Administration.Attributed result;
    try (Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault())) {
      result = admin.attribute(incident, TokenCommand.operator(), text, watermarks, start, end, limit);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(format.equals("json") ? result.json() + System.lineSeparator() : result.text());
    out.flush();
    return Main.OK;
  }

  private int online(String text, Optional<Instant> start, Optional<Instant> end) throws Exception {
    java.net.URI base = ServerTarget.base(url);
    String token = ServerTarget.token(tokenFile, environment, "incidents:attribute");
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("sample", text);
    body.put("watermarks", watermarks);
    start.ifPresent(s -> body.put("from", s.toString()));
    end.ifPresent(e -> body.put("to", e.toString()));
    body.put("limit", limit);
    String path = incident.equals("-") ? "/v1/attribution" : "/v1/incidents/" + incident + "/attribute";
    String root = base.toString().replaceAll("/+$", "");
    java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + path))
        .timeout(java.time.Duration.ofMinutes(5)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + token)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body))).build();
    java.net.http.HttpResponse<String> response;
    try (java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .connectTimeout(java.time.Duration.ofSeconds(10)).build()) {
      response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("custos: cannot reach " + root + ": " + Main.oneLine(String.valueOf(e.getMessage())));
      err.flush();
      return Main.FAILURE;
    }
    if (response.statusCode() != 200) {
      String detail;
      try {
        detail = mapper.readTree(response.body()).path("detail").asText("");
      } catch (IOException e) {
        detail = "";
      }
      String line = "the server answered " + response.statusCode() + (detail.isEmpty() ? "" : ": " + Main.oneLine(detail));
      if (response.statusCode() == 400) {
        throw new UsageException(line);
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println("custos: " + line);
      err.flush();
      return Main.FAILURE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(format.equals("json") ? response.body() + System.lineSeparator() : Administration.attributionText(response.body()));
    out.flush();
    return Main.OK;
  }

  private static Optional<Instant> instant(String option, String text) {
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.strip()));
    } catch (DateTimeParseException e) {
      throw new UsageException(option + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, not '" + text + "'");
    }
  }

  static String read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--sample " + file + " is not a file");
    }
    if (!Files.isReadable(file)) {
      throw new UsageException("--sample " + file + " cannot be read");
    }
    if (Files.size(file) > MAX_BYTES) {
      throw new UsageException("--sample " + file + " is larger than 64 MiB; attribute a sample of the leak");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new UsageException("--sample " + file + " is not UTF-8 text");
    }
  }
}
