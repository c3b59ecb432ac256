package dev.custos.server;

import dev.custos.store.Installation;
import java.time.Instant;
import java.util.Map;

/** The HTML page at {@code /}: what this instance is and whether it is ready. No script at all. */
final class InstancePage {
  private InstancePage() {}

  static String render(Installation installation, Instant startedAt, boolean embedded, Map<String, String> checks) {
    StringBuilder rows = new StringBuilder();
    checks.forEach((name, state) -> rows.append("<tr><th scope=\"row\">").append(esc(name)).append(" check</th><td class=\"")
        .append(state.equals("ok") ? "ok" : "bad").append("\">").append(esc(state)).append("</td></tr>\n"));
    boolean ready = checks.values().stream().allMatch("ok"::equals);
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Custos</title>
        <link rel="stylesheet" href="/assets/custos.css">
        </head>
        <body>
        <main>
        <h1>Custos <span class="version">%s</span></h1>
        <p class="lede">Guards customer data against the people who hold the keys to it.</p>
        <p id="state" class="%s">%s</p>
        <table>
        <tr><th scope="row">installation</th><td id="installation">%s</td></tr>
        <tr><th scope="row">created</th><td>%s</td></tr>
        <tr><th scope="row">started</th><td>%s (start number %d)</td></tr>
        <tr><th scope="row">database</th><td>%s</td></tr>
        %s</table>
        <nav>
        <a href="/healthz">/healthz</a>
        <a href="/readyz">/readyz</a>
        <a href="/metrics">/metrics</a>
        <a href="/openapi.json">/openapi.json</a>
        <a href="/v1/status">/v1/status</a>
        </nav>
        </main>
        </body>
        </html>
        """.formatted(esc(Version.current()), ready ? "ok" : "bad", ready ? "Ready" : "Not ready",
        esc(installation.id().toString()), esc(installation.createdAt().toString()), esc(startedAt.toString()),
        installation.starts(), embedded ? "embedded PostgreSQL" : "external PostgreSQL", rows);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
