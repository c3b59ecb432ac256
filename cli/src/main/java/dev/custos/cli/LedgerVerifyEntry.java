package dev.custos.cli;

import dev.custos.access.CustomerId;
import dev.custos.ledger.CosignatureCheck;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.SignedCheckpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos ledger verify-entry}: a customer (or anyone they hand their log to) verifies their
 * access log offline with the ledger module, trusting only the verifier key they pass.
 */
@Command(name = "verify-entry", mixinStandardHelpOptions = true,
    description = {"Verify a customer's access log (GET /v1/me/access-log): the checkpoint's signature by --vkey,",
        "its cosignatures by each --witness-key, every entry's inclusion proof, that every entry names the",
        "customer's commitment (recomputed from the salt), and with --last-checkpoint that the log only grew since.",
        "Exit 0 all verified, 1 a failure (each named), 2 bad input."})
final class LedgerVerifyEntry implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  static final class Where {
    @Option(names = "--log", paramLabel = "FILE", description = "The access log JSON, as saved from the server.")
    Path log;

    @Option(names = "--url", paramLabel = "URL",
        description = "The Custos server (e.g. https://custos.example.com); needs --token-file.")
    String url;
  }

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding your sign-in token (never on the command line, where ps shows it).")
  Path tokenFile;

  @Option(names = "--vkey", required = true, paramLabel = "KEY|FILE",
      description = "The verifier key the exchange publishes (note verifier-key format), or a file holding it.")
  String vkey;

  @Option(names = "--witness-key", paramLabel = "VKEY|FILE",
      description = {"A witness's cosignature/v1 verifier key (or a file holding it) that must have cosigned the",
          "checkpoint (C2SP tlog-cosignature); repeatable. Pin witnesses you chose: a cosignature that does not",
          "verify, or none, is a failure. Other cosignature lines are listed, not checked."})
  List<String> witnessKeys = new ArrayList<>();

  @Option(names = "--last-checkpoint", paramLabel = "FILE",
      description = "The signed checkpoint you saw last (e.g. written by --save-checkpoint); the log must extend it.")
  Path lastCheckpoint;

  @Option(names = "--save-checkpoint", paramLabel = "FILE",
      description = "After a clean verification, write the log's signed checkpoint here for the next --last-checkpoint.")
  Path saveCheckpoint;

  @Option(names = "--scan", paramLabel = "URL|DIR",
      description = {"Also read the whole log from its tiles (a ledger directory, or the server's /ledger URL), check it",
          "hashes to the checkpoint, and find every entry naming you: one the access log omits is a failure."})
  String scan;

  @Option(names = "--customer", paramLabel = "ID",
      description = "Your customer id, to recompute your commitment (default: the id the log names).")
  String customer;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    NoteVerifier key = key();
    Optional<SignedCheckpoint> seen = Optional.empty();
    if (lastCheckpoint != null) {
      if (!Files.isRegularFile(lastCheckpoint)) {
        throw new UsageException("--last-checkpoint " + lastCheckpoint + " is not a file");
      }
      seen = Optional.of(LedgerCommand.parse(Files.readAllBytes(lastCheckpoint), key,
          bad -> new UsageException("--last-checkpoint " + lastCheckpoint + ": " + bad)));
    }
    Optional<CustomerId> id = Optional.empty();
    if (customer != null) {
      try {
        id = Optional.of(CustomerId.parse(customer));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--customer: " + e.getMessage());
      }
    }
    AccessLogCheck.Log log = AccessLogCheck.parse(read(seen.map(s -> s.checkpoint().size())));
    List<NoteVerifier> witnesses = new ArrayList<>();
    for (String w : witnessKeys) {
      witnesses.add(witnessKey(w));
    }
    AccessLogCheck.Report report = AccessLogCheck.verify(log, key, seen, id, witnesses);
    if (scan != null && report.checkpoint().isPresent()) {
      report = AccessLogCheck.withScan(report, log, scanSource(), id);
    }
    for (AccessLogCheck.Line l : report.verified()) {
      out.println("ok      #" + l.index() + " " + l.at() + " " + l.staff() + " " + l.action() + " (" + l.purpose() + ") "
          + l.decision() + ("permit".equals(l.decision()) ? " fields " + l.fields() : ""));
    }
    for (CosignatureCheck c : report.cosignatures()) {
      String who = "witness " + c.keyName() + " (key hash " + c.keyHashHex() + ")"
          + c.time().map(t -> " at " + t).orElse("");
      switch (c.status()) {
        case VERIFIED -> out.println("ok      cosigned by " + who);
        case UNKNOWN -> out.println("note    cosignature line by " + who + " not checked: no --witness-key for it");
        case FAILED, MISSING -> { } // findings, below
      }
    }
    for (AccessLogCheck.Finding f : report.findings()) {
      out.println("FAILED  " + (f.index() < 0 ? "log" : "#" + f.index()) + ": " + f.problem());
    }
    if (report.clean()) {
      out.println("ok: " + report.verified().size() + " entries verified against checkpoint of size "
          + report.checkpoint().orElseThrow().size() + (seen.isPresent() ? ", which extends the one of size "
          + seen.get().checkpoint().size() : ""));
      long cosigned = report.cosignatures().stream()
          .filter(c -> c.status() == CosignatureCheck.Status.VERIFIED).count();
      if (!witnesses.isEmpty()) {
        out.println("ok: the checkpoint is cosigned by " + cosigned + " of " + witnesses.size() + " witness(es) you trust");
      }
      if (saveCheckpoint != null) {
        Files.writeString(saveCheckpoint, log.checkpoint(), StandardCharsets.UTF_8);
      }
      out.flush();
      return Main.OK;
    }
    out.println("FAILED: " + report.findings().size() + " problem(s); " + report.verified().size() + " of "
        + log.items().size() + " entries verified");
    out.flush();
    return Main.FAILURE;
  }

  private dev.custos.ledger.TileReader scanSource() {
    if (!scan.matches("(?i)https?://.*")) {
      Path dir = Path.of(scan);
      if (!Files.isDirectory(dir)) {
        throw new UsageException("--scan " + scan + " is neither an http(s) URL nor a directory");
      }
      return dev.custos.ledger.TileReader.ofDirectory(dir);
    }
    URI base;
    try {
      base = new URI(scan.endsWith("/") ? scan : scan + "/");
    } catch (URISyntaxException e) {
      throw new UsageException("--scan is not a URL: " + e.getReason());
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return dev.custos.ledger.TileReader.of(path -> {
      URI uri = base.resolve(path);
      try {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
          return Optional.empty();
        }
        if (r.statusCode() != 200) {
          throw new IOException("GET " + uri + " answered " + r.statusCode());
        }
        return Optional.of(r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted reading " + uri);
      }
    });
  }

  private static NoteVerifier witnessKey(String option) throws IOException {
    Path p = Path.of(option);
    String text = Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : option;
    return switch (NoteVerifier.parse(text.strip())) {
      case Parsed.Ok<NoteVerifier> ok when ok.value().type() == dev.custos.ledger.SignatureType.COSIGNATURE_V1 -> ok.value();
      case Parsed.Ok<NoteVerifier> ok -> throw new UsageException("--witness-key " + ok.value().name()
          + " is not a witness's cosignature/v1 key");
      case Parsed.Invalid<NoteVerifier> bad -> throw new UsageException("--witness-key: " + bad);
    };
  }

  private NoteVerifier key() throws IOException {
    Path p = Path.of(vkey);
    String text = Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : vkey;
    return switch (NoteVerifier.parse(text.strip())) {
      case Parsed.Ok<NoteVerifier> ok -> ok.value();
      case Parsed.Invalid<NoteVerifier> bad -> throw new UsageException("--vkey: " + bad);
    };
  }

  private byte[] read(Optional<Long> since) throws IOException {
    if (where.log != null) {
      if (!Files.isRegularFile(where.log)) {
        throw new UsageException("--log " + where.log + " is not a file");
      }
      return Files.readAllBytes(where.log);
    }
    if (tokenFile == null || !Files.isRegularFile(tokenFile)) {
      throw new UsageException("--url needs --token-file with your sign-in token");
    }
    String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    URI uri;
    try {
      URI base = new URI(where.url.endsWith("/") ? where.url : where.url + "/");
      if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
        throw new UsageException("--url must be an http:// or https:// URL");
      }
      uri = base.resolve("v1/me/access-log" + since.map(s -> "?since=" + s).orElse(""));
    } catch (URISyntaxException e) {
      throw new UsageException("--url is not a URL: " + e.getReason());
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + token).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new UsageException("GET " + uri + " answered HTTP " + r.statusCode() + ": "
            + Main.oneLine(new String(r.body(), StandardCharsets.UTF_8)));
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading " + uri, e);
    }
  }
}
