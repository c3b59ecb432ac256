package dev.custos.server;

import dev.custos.identity.oidc.OidcSettings;
import dev.custos.identity.webauthn.WebAuthnSettings;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The effective, validated configuration of one Custos process. Immutable: it is built once by
 * {@link ConfigLoader} before anything starts and never changes afterwards.
 *
 * @param data the data directory (absolute)
 * @param bind the address the HTTP server listens on
 * @param port the HTTP port, 0 for any free port
 * @param dbUrl an external PostgreSQL JDBC URL, or empty for the embedded cluster
 * @param dbUser the external database role, if given
 * @param dbPassword the external database password, if given
 * @param dbPoolSize maximum database connections
 * @param ledgerSigningKey the checkpoint signing key file, or empty for the development key
 * @param witnesses the witnesses each new checkpoint is pushed to (C2SP tlog-witness)
 * @param webAuthn the WebAuthn relying party (id and origins)
 * @param oidc single sign-on through an OpenID provider, or empty when it is off
 * @param customerTokens how customers' own tokens are verified (transparency), or empty when it is off
 * @param access the customer-data policy: field catalogue, reveal MFA window, break-glass roles, quotas
 * @param vault where older key-encryption keys are and how keys are rotated in the background
 * @param alerts where raised alerts are delivered (webhook, OCSF file, syslog)
 * @param detection the detector's policy (its measures' thresholds; the rest at the defaults)
 * @param approvals the approval catalogue, the withdrawal rules and the approval webhook
 * @param notifications how customers are notified of an incident (SMTP, templates, languages)
 * @param sources where each setting's value came from
 */
public record CustosConfig(
    Path data,
    String bind,
    int port,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<Secret> dbPassword,
    int dbPoolSize,
    Optional<Path> ledgerSigningKey,
    List<WitnessTarget> witnesses,
    WebAuthnSettings webAuthn,
    Optional<OidcSettings> oidc,
    Optional<dev.custos.identity.oidc.CustomerTokenSettings> customerTokens,
    AccessSettings access,
    VaultSettings vault,
    AlertSettings alerts,
    dev.custos.detect.DetectionPolicy detection,
    ApprovalSettings approvals,
    NotificationSettings notifications,
    dev.custos.identity.SessionPolicy sessions,
    Optional<java.time.Instant> simulationClock,
    Map<String, String> sources) {

  public CustosConfig {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPassword, "dbPassword");
    Objects.requireNonNull(ledgerSigningKey, "ledgerSigningKey");
    witnesses = List.copyOf(witnesses);
    Objects.requireNonNull(webAuthn, "webAuthn");
    Objects.requireNonNull(oidc, "oidc");
    Objects.requireNonNull(customerTokens, "customerTokens");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(detection, "detection");
    Objects.requireNonNull(approvals, "approvals");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(simulationClock, "simulationClock");
    if (!data.isAbsolute()) {
      throw new IllegalArgumentException("data must be an absolute path");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if (dbPoolSize < 1 || dbPoolSize > 200) {
      throw new IllegalArgumentException("dbPoolSize must be 1..200");
    }
    sources = Map.copyOf(sources);
  }

  /** Where the embedded PostgreSQL cluster lives. */
  public Path postgresDir() {
    return data.resolve("postgres");
  }

  /** Where the ledger's tiles, entries and checkpoints live. */
  public Path ledgerDir() {
    return data.resolve("ledger");
  }

  /** Where edited notification templates are read from: the configured directory or {@code <data>/templates}. */
  public Path templatesDir() {
    return notifications.templatesDir().orElse(data.resolve("templates"));
  }

  /** Where key material lives (development keys in the embedded default). */
  public Path keysDir() {
    return data.resolve("keys");
  }

  /** The checkpoint signing key file: the configured one, or the development key's path. */
  public Path ledgerSigningKeyFile() {
    return ledgerSigningKey.orElse(keysDir().resolve("ledger-signing.key"));
  }

  /** This configuration with {@code witnesses} instead of the configured ones (the demo adds one). */
  public CustosConfig withWitnesses(List<WitnessTarget> witnesses) {
    Map<String, String> src = new java.util.HashMap<>(sources);
    src.put(Setting.LEDGER_WITNESSES.key, "changed at run time");
    return new CustosConfig(data, bind, port, dbUrl, dbUser, dbPassword, dbPoolSize, ledgerSigningKey, witnesses, webAuthn, oidc,
        customerTokens, access, vault, alerts, detection, approvals, notifications, sessions, simulationClock, src);
  }

  /** This configuration with {@code changed} customer-data policy (the demo raises a quota). */
  public CustosConfig withAccess(AccessSettings changed) {
    Map<String, String> src = new java.util.HashMap<>(sources);
    src.put(Setting.QUOTA_BREAK_GLASS_PER_DAY.key, "changed at run time");
    return new CustosConfig(data, bind, port, dbUrl, dbUser, dbPassword, dbPoolSize, ledgerSigningKey, witnesses, webAuthn, oidc,
        customerTokens, changed, vault, alerts, detection, approvals, notifications, sessions, simulationClock, src);
  }

  /** This configuration with {@code changed} approval policy (the demo shortens a time-lock). */
  public CustosConfig withApprovals(ApprovalSettings changed) {
    Map<String, String> src = new java.util.HashMap<>(sources);
    src.put(Setting.APPROVALS_POLICY_FILE.key, "changed at run time");
    return new CustosConfig(data, bind, port, dbUrl, dbUser, dbPassword, dbPoolSize, ledgerSigningKey, witnesses, webAuthn, oidc,
        customerTokens, access, vault, alerts, detection, changed, notifications, sessions, simulationClock, src);
  }

  /** This configuration with {@code changed} notification settings (the demo points them at a local SMTP server). */
  public CustosConfig withNotifications(NotificationSettings changed) {
    Map<String, String> src = new java.util.HashMap<>(sources);
    src.put(Setting.NOTIFY_SMTP_HOST.key, "changed at run time");
    return new CustosConfig(data, bind, port, dbUrl, dbUser, dbPassword, dbPoolSize, ledgerSigningKey, witnesses, webAuthn, oidc,
        customerTokens, access, vault, alerts, detection, approvals, changed, sessions, simulationClock, src);
  }

  /** This configuration with customer tokens verified by {@code changed} (the demo plays the exchange's login). */
  public CustosConfig withCustomerTokens(Optional<dev.custos.identity.oidc.CustomerTokenSettings> changed) {
    Map<String, String> src = new java.util.HashMap<>(sources);
    src.put(Setting.CUSTOMER_JWKS.key, "changed at run time");
    return new CustosConfig(data, bind, port, dbUrl, dbUser, dbPassword, dbPoolSize, ledgerSigningKey, witnesses, webAuthn, oidc,
        changed, access, vault, alerts, detection, approvals, notifications, sessions, simulationClock, src);
  }

  /** Whether the database is the embedded cluster under the data directory. */
  public boolean embeddedDatabase() {
    return dbUrl.isEmpty();
  }

  /**
   * The configuration as YAML that {@code --config} accepts, secrets redacted, each line
   * commented with where its value came from.
   */
  public String describe() {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    values.put(Setting.DATA, data.toString());
    values.put(Setting.HTTP_BIND, bind);
    values.put(Setting.HTTP_PORT, Integer.toString(port));
    values.put(Setting.DB_URL, dbUrl.map(dev.custos.store.JdbcUrls::withoutSecrets).orElse(""));
    values.put(Setting.DB_USER, dbUser.orElse(""));
    values.put(Setting.DB_PASSWORD, dbPassword.isPresent() ? "***" : "");
    values.put(Setting.DB_POOL_SIZE, Integer.toString(dbPoolSize));
    values.put(Setting.LEDGER_SIGNING_KEY, ledgerSigningKey.map(Path::toString).orElse(""));
    values.put(Setting.LEDGER_WITNESSES, String.join(", ", witnesses.stream().map(WitnessTarget::describe).toList()));
    values.put(Setting.WEBAUTHN_RP_ID, webAuthn.rpId());
    values.put(Setting.WEBAUTHN_ORIGINS, String.join(",", webAuthn.origins()));
    values.put(Setting.ACCESS_FIELD_CATALOGUE, access.catalogueFile().map(Path::toString).orElse(""));
    values.put(Setting.ACCESS_MFA_WINDOW, durationText(access.policy().mfaWindow()));
    values.put(Setting.ACCESS_BREAK_GLASS_ROLES, String.join(",",
        access.policy().breakGlassRoles().stream().map(dev.custos.access.Role::wireName).toList()));
    values.put(Setting.QUOTA_OFF_TICKET_PER_HOUR, Long.toString(access.quotas().offTicketCustomersPerHour()));
    values.put(Setting.QUOTA_OFF_TICKET_PER_DAY, Long.toString(access.quotas().offTicketCustomersPerDay()));
    values.put(Setting.QUOTA_REVEALS_PER_HOUR, Long.toString(access.quotas().revealsPerHour()));
    values.put(Setting.QUOTA_SEARCHES_PER_HOUR, Long.toString(access.quotas().searchesPerHour()));
    values.put(Setting.QUOTA_BREAK_GLASS_PER_DAY, Long.toString(access.quotas().breakGlassCustomersPerDay()));
    values.put(Setting.VAULT_PREVIOUS_KEKS, String.join(",", vault.previousKeks().stream().map(Path::toString).toList()));
    values.put(Setting.VAULT_ROTATION_INTERVAL, durationText(vault.rotationInterval()));
    values.put(Setting.VAULT_ROTATION_BATCH, Integer.toString(vault.rotationBatchSize()));
    values.put(Setting.VAULT_DATA_KEY_MAX_AGE, vault.dataKeyMaxAge().map(CustosConfig::durationText).orElse(""));
    values.put(Setting.ALERTS_WEBHOOK_URL, alerts.webhookUrl().map(java.net.URI::toString).orElse(""));
    values.put(Setting.ALERTS_WEBHOOK_SECRET_FILE, alerts.webhookSecretFile().map(Path::toString).orElse(""));
    values.put(Setting.ALERTS_OCSF_FILE, alerts.ocsfFile().map(Path::toString).orElse(""));
    values.put(Setting.ALERTS_SYSLOG_ADDRESS, alerts.syslog().map(AlertSettings.SyslogAddress::toString).orElse(""));
    values.put(Setting.DETECTION_THRESHOLDS, thresholdsText(detection));
    values.put(Setting.APPROVALS_POLICY_FILE, approvals.policyFile().map(Path::toString).orElse(""));
    values.put(Setting.APPROVALS_WEBHOOK_URL, approvals.webhookUrl().map(java.net.URI::toString).orElse(""));
    values.put(Setting.APPROVALS_WEBHOOK_SECRET_FILE, approvals.webhookSecretFile().map(Path::toString).orElse(""));
    values.put(Setting.NOTIFY_SMTP_HOST, notifications.smtpHost().orElse(""));
    values.put(Setting.NOTIFY_SMTP_PORT, Integer.toString(notifications.smtpPort()));
    values.put(Setting.NOTIFY_SMTP_TLS, notifications.tls().wireName);
    values.put(Setting.NOTIFY_SMTP_USERNAME, notifications.username().orElse(""));
    values.put(Setting.NOTIFY_SMTP_PASSWORD, notifications.password().isPresent() ? "***" : "");
    values.put(Setting.NOTIFY_FROM, notifications.from());
    values.put(Setting.NOTIFY_EXCHANGE_NAME, notifications.exchangeName());
    values.put(Setting.NOTIFY_TEMPLATES_DIR, notifications.templatesDir().map(Path::toString).orElse(""));
    values.put(Setting.NOTIFY_DEFAULT_LANGUAGE, notifications.defaultLanguage());
    values.put(Setting.NOTIFY_LANGUAGE_FIELD, notifications.languageField());
    values.put(Setting.NOTIFY_LANGUAGES_BY_NATIONALITY, String.join(",", new java.util.TreeMap<>(
        notifications.languagesByNationality()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
    values.put(Setting.NOTIFY_ATTEMPTS, Integer.toString(notifications.attempts()));
    values.put(Setting.CUSTOMER_JWKS, customerTokens.map(c -> c.jwksUrl().map(java.net.URI::toString)
        .orElseGet(() -> c.jwksFile().orElseThrow().toString())).orElse(""));
    values.put(Setting.CUSTOMER_ISSUER, customerTokens.map(c -> c.issuer()).orElse(""));
    values.put(Setting.CUSTOMER_AUDIENCE, customerTokens.map(c -> c.audience()).orElse(""));
    values.put(Setting.CUSTOMER_ID_CLAIM, customerTokens.map(c -> c.customerClaim()).orElse(Setting.CUSTOMER_ID_CLAIM.defaultValue));
    values.put(Setting.CUSTOMER_ALGORITHMS, customerTokens.map(c -> String.join(",", new java.util.TreeSet<>(c.algorithms())))
        .orElse(Setting.CUSTOMER_ALGORITHMS.defaultValue));
    values.put(Setting.CUSTOMER_CLOCK_SKEW, customerTokens.map(c -> durationText(c.clockSkew()))
        .orElse(Setting.CUSTOMER_CLOCK_SKEW.defaultValue));
    values.put(Setting.SIMULATION_CLOCK, simulationClock.map(java.time.Instant::toString).orElse(""));
    values.put(Setting.SESSION_IDLE, durationText(sessions.idle()));
    values.put(Setting.SESSION_ABSOLUTE, durationText(sessions.absolute()));
    for (Setting s : Setting.values()) {
      if (s.key.startsWith("oidc.")) {
        values.put(s, oidc.isPresent() ? oidcValue(s, oidc.get()) : s.defaultValue);
      }
    }
    StringBuilder out = new StringBuilder(
        "# Effective Custos configuration (precedence: flag > environment > file > default).\n");
    for (Setting s : Setting.values()) {
      String v = values.get(s);
      out.append(s.key).append(": ").append(yamlScalar(v))
          .append("    # ").append(sources.getOrDefault(s.key, "default"))
          .append(s == Setting.DB_URL && v.isEmpty() ? " (embedded PostgreSQL)" : "")
          .append('\n');
    }
    return out.toString();
  }

  private static String oidcValue(Setting s, OidcSettings o) {
    return switch (s) {
      case OIDC_ISSUER -> o.issuer().toString();
      case OIDC_CLIENT_ID -> o.clientId();
      case OIDC_CLIENT_SECRET -> "***";
      case OIDC_REDIRECT_URI -> o.redirectUri().toString();
      case OIDC_SCOPES -> String.join(" ", o.scopes());
      case OIDC_REQUIRE_MFA -> Boolean.toString(o.mfaRequired());
      case OIDC_REQUIRED_AMR -> String.join(",", o.requiredAmr().stream().sorted().toList());
      case OIDC_REQUIRED_ACR -> String.join(",", o.requiredAcr().stream().sorted().toList());
      case OIDC_USERNAME_CLAIM -> o.usernameClaim();
      case OIDC_GROUPS_CLAIM -> o.groupsClaim();
      case OIDC_GROUP_ROLES -> groupRoles(o);
      case OIDC_CLOCK_SKEW -> o.clockSkew().toSeconds() + "s";
      case OIDC_CONNECT_TIMEOUT -> o.connectTimeout().toMillis() + "ms";
      case OIDC_READ_TIMEOUT -> o.readTimeout().toMillis() + "ms";
      default -> throw new IllegalArgumentException("not an oidc setting: " + s.key);
    };
  }

  /** The group map in the syntax {@code oidc.group-roles} reads, groups quoted when they need it. */
  private static String groupRoles(OidcSettings o) {
    List<String> entries = new java.util.ArrayList<>();
    o.groupRoles().forEach((group, roles) -> {
      String g = group.matches("[^,=\"]+") && group.equals(group.strip()) ? group : "\"" + group.replace("\"", "\"\"") + "\"";
      roles.stream().map(dev.custos.access.Role::wireName).sorted().forEach(r -> entries.add(g + "=" + r));
    });
    return String.join(",", entries.stream().sorted().toList());
  }

  /** The four thresholds as {@code detection.thresholds} reads them back (integers without a fraction). */
  static String thresholdsText(dev.custos.detect.DetectionPolicy p) {
    List<String> out = new java.util.ArrayList<>();
    for (dev.custos.detect.Measure m : List.of(dev.custos.detect.Measure.ALERT, dev.custos.detect.Measure.STEP_UP,
        dev.custos.detect.Measure.THROTTLE, dev.custos.detect.Measure.SUSPEND)) {
      double t = p.threshold(m);
      out.add(t == Math.rint(t) ? Long.toString((long) t) : Double.toString(t));
    }
    return String.join(",", out);
  }

  /** A duration in the largest unit that keeps it exact, as {@code ConfigLoader} reads it back. */
  static String durationText(java.time.Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static String yamlScalar(String v) {
    if (v.isEmpty()) {
      return "\"\"";
    }
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public String toString() {
    return "CustosConfig[data=" + data + ", bind=" + bind + ", port=" + port + ", db="
        + dbUrl.map(dev.custos.store.JdbcUrls::withoutSecrets).orElse("embedded")
        + ", sso=" + oidc.map(o -> o.issuer().toString()).orElse("off") + "]";
  }
}
