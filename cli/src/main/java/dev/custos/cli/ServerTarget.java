package dev.custos.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The running server a command talks to with {@code --url}, and the service token it presents
 * ({@code --token-file FILE} or {@code CUSTOS_TOKEN}): one reading of both for every such command,
 * each mistake a {@link UsageException} (exit 2) naming it.
 */
final class ServerTarget {
  private ServerTarget() {}

  /** {@code url} as an http or https base URL without query or fragment. */
  static URI base(String url) {
    URI base;
    try {
      base = new URI(url);
    } catch (URISyntaxException e) {
      throw new UsageException("--url must be a URL such as http://127.0.0.1:8080, not '" + url + "'");
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null || base.getQuery() != null
        || base.getFragment() != null) {
      throw new UsageException("--url must be an http or https URL such as http://127.0.0.1:8080, not '" + url + "'");
    }
    return base;
  }

  /**
   * The service token from {@code tokenFile}, else from {@code CUSTOS_TOKEN} in {@code environment}.
   *
   * @param scope the token scope the command needs, named when no token is given (empty: none named)
   */
  static String token(Path tokenFile, Map<String, String> environment, String scope) throws IOException {
    String text;
    if (tokenFile != null) {
      if (!Files.isRegularFile(tokenFile)) {
        throw new UsageException("--token-file " + tokenFile + " is not a file");
      }
      text = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        throw new UsageException("--token-file " + tokenFile + " is empty");
      }
    } else {
      text = environment.getOrDefault("CUSTOS_TOKEN", "").strip();
      if (text.isEmpty()) {
        throw new UsageException("--url needs a service token" + (scope.isEmpty() ? "" : " of scope " + scope)
            + ": --token-file FILE or the environment variable CUSTOS_TOKEN");
      }
    }
    if (!text.matches("[\\x21-\\x7e]+")) {
      throw new UsageException("the service token must be one line of printable ASCII (a cst_... token)");
    }
    return text;
  }
}
