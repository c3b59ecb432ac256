package dev.custos.server;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One configuration key: its name in files, its environment variable, its flag (if any), its
 * default and the rule its values must follow. The table of settings is the single source for
 * validation, {@code custos config print} and docs/configuration.md.
 */
enum Setting {
  DATA("data", "--data", false, "./custos-data", "a directory path"),
  HTTP_BIND("http.bind", "--bind", false, "127.0.0.1", "an IP address or host name of this machine"),
  HTTP_PORT("http.port", "--port", false, "8080", "an integer from 0 to 65535 (0 picks a free port)"),
  DB_URL("db.url", "--db-url", false, "", "empty (embedded PostgreSQL) or a jdbc:postgresql:// URL"),
  DB_USER("db.user", null, false, "", "a PostgreSQL role name (empty: the URL's or the driver's default)"),
  DB_PASSWORD("db.password", null, true, "", "the PostgreSQL password (secret; environment or file only)"),
  DB_POOL_SIZE("db.pool-size", null, false, "10", "an integer from 1 to 200"),
  LEDGER_SIGNING_KEY("ledger.signing-key", null, false, "",
      "empty (a development key under <data>/keys, created on first start) or the path of a PRIVATE+KEY note signer key file"),
  LEDGER_WITNESSES("ledger.witnesses", null, false, "",
      "empty (no witnesses) or comma-separated witnesses, each '<url> <cosigner vkey>', e.g. "
          + "'http://10.0.0.7:7380 auditor.example/w1+1a2b3c4d+BASE64'");

  final String key;
  final String flag;
  final boolean secret;
  final String defaultValue;
  final String allowed;

  Setting(String key, String flag, boolean secret, String defaultValue, String allowed) {
    this.key = key;
    this.flag = flag;
    this.secret = secret;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
  }

  /** The environment variable: {@code CUSTOS_} and the key upper-cased, dots and dashes as underscores. */
  String env() {
    return "CUSTOS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  static Optional<Setting> byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  static Optional<Setting> byEnv(String name) {
    for (Setting s : values()) {
      if (s.env().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  static List<String> keys() {
    return java.util.Arrays.stream(values()).map(s -> s.key).toList();
  }
}
