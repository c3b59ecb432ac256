package dev.custos.cli;

import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import dev.custos.ledger.TileReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where a ledger command reads a log: a directory ({@code --dir}) or a server ({@code --url},
 * the base of the tlog-tiles resources, e.g. {@code http://127.0.0.1:8080/ledger}). Exactly one.
 */
final class LogSource {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Where where;

  @Option(names = "--vkey", paramLabel = "KEY|FILE",
      description = "The verifier key you trust (note verifier-key format), or a file holding it.")
  String vkey;

  static final class Where {
    @Option(names = "--dir", paramLabel = "DIR", description = "A ledger directory (e.g. custos-data/ledger).")
    Path dir;

    @Option(names = "--url", paramLabel = "URL", description = "The ledger's base URL (e.g. http://127.0.0.1:8080/ledger).")
    String url;
  }

  /** Reads any resource of the log by its path relative to the log's root. */
  TileReader.Source source() {
    if (where.dir != null) {
      if (!Files.isDirectory(where.dir)) {
        throw new UsageException("--dir " + where.dir + " is not a directory");
      }
      return path -> {
        Path f = where.dir.resolve(path);
        return Files.exists(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
      };
    }
    URI base = base();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    return path -> {
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
        throw new InterruptedIOException("interrupted reading " + uri);
      }
    };
  }

  TileReader reader() {
    return TileReader.of(source());
  }

  private URI base() {
    try {
      String u = where.url.endsWith("/") ? where.url : where.url + "/";
      URI uri = new URI(u);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new UsageException("--url must be an http:// or https:// URL, got '" + Main.oneLine(where.url) + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("--url is not a URL: " + e.getReason());
    }
  }

  /**
   * The verifier key: {@code --vkey} (a key, or a file holding one) when given; otherwise the
   * log's own published key ({@code ledger.vkey} in a directory, {@code vkey} on a server), which
   * proves integrity but not identity, and says so.
   */
  NoteVerifier verifier(java.io.PrintWriter err) throws IOException {
    String text;
    if (vkey != null) {
      Path p = Path.of(vkey);
      text = Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : vkey;
    } else {
      Optional<byte[]> published = source().read(where.dir != null ? "ledger.vkey" : "vkey");
      if (published.isEmpty()) {
        throw new UsageException("no verifier key published beside the log; pass --vkey");
      }
      text = new String(published.get(), StandardCharsets.UTF_8);
      err.println("custos: using the log's own verifier key; pass --vkey to pin the key you trust");
    }
    return switch (NoteVerifier.parse(text.strip())) {
      case Parsed.Ok<NoteVerifier> ok -> ok.value();
      case Parsed.Invalid<NoteVerifier> bad -> throw new UsageException("--vkey: " + bad);
    };
  }
}
