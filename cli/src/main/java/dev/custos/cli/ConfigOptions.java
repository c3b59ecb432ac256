package dev.custos.cli;

import dev.custos.server.ConfigException;
import dev.custos.server.ConfigLoader;
import dev.custos.server.CustosConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by the commands that start Custos. Values are kept as text and
 * validated by {@link ConfigLoader}, so a flag and the same key in a file or the environment
 * fail with the same message.
 */
final class ConfigOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (also CUSTOS_CONFIG).")
  Path config;

  @Option(names = "--data", paramLabel = "DIR", description = "Data directory (key data; default ./custos-data).")
  String data;

  @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on (key http.bind; default 127.0.0.1).")
  String bind;

  @Option(names = "--port", paramLabel = "PORT", description = "HTTP port, 0 for any free port (key http.port; default 8080).")
  String port;

  @Option(names = "--db-url", paramLabel = "JDBC_URL",
      description = "External PostgreSQL, jdbc:postgresql://... (key db.url, also CUSTOS_DB_URL); default: embedded.")
  String dbUrl;

  Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    put(flags, "data", data);
    put(flags, "http.bind", bind);
    put(flags, "http.port", port);
    put(flags, "db.url", dbUrl);
    return flags;
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }

  CustosConfig load() throws ConfigException {
    return ConfigLoader.load(flags(), System.getenv(), config, Path.of("").toAbsolutePath());
  }
}
