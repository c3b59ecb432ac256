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
          + "'http://10.0.0.7:7380 auditor.example/w1+1a2b3c4d+BASE64'"),
  WEBAUTHN_RP_ID("webauthn.rp-id", null, false, "localhost",
      "the WebAuthn relying party id: a lower-case domain name (no scheme, port or path) that every origin's host is or ends with"),
  WEBAUTHN_ORIGINS("webauthn.origins", null, false, "",
      "empty (http://localhost:<http.port>) or comma-separated exact origins such as https://custos.example.com; "
          + "https only, http only for localhost"),
  OIDC_ISSUER("oidc.issuer", null, false, "",
      "empty (single sign-on off) or the provider's issuer URL, https (http only for localhost), no query or fragment"),
  OIDC_CLIENT_ID("oidc.client-id", null, false, "", "Custos's client id at the provider (required with oidc.issuer)"),
  OIDC_CLIENT_SECRET("oidc.client-secret", null, true, "",
      "Custos's client secret at the provider (secret; environment or file only; required with oidc.issuer)"),
  OIDC_REDIRECT_URI("oidc.redirect-uri", null, false, "",
      "the callback URL registered at the provider, ending in /v1/session/oidc/callback (required with oidc.issuer)"),
  OIDC_SCOPES("oidc.scopes", null, false, "openid profile email",
      "scopes separated by spaces or commas; must include openid"),
  OIDC_REQUIRE_MFA("oidc.require-mfa", null, false, "true", "true or false: whether the ID token must prove MFA (amr or acr)"),
  OIDC_REQUIRED_AMR("oidc.required-amr", null, false, "mfa", "comma-separated amr values, any one proves MFA (may be empty)"),
  OIDC_REQUIRED_ACR("oidc.required-acr", null, false,
      "phr,phrh,http://schemas.openid.net/pape/policies/2007/06/multi-factor",
      "comma-separated acr values, any one proves MFA (may be empty)"),
  OIDC_USERNAME_CLAIM("oidc.username-claim", null, false, "preferred_username", "the ID token claim holding the staff id"),
  OIDC_GROUPS_CLAIM("oidc.groups-claim", null, false, "groups", "the ID token claim listing the person's groups"),
  OIDC_GROUP_ROLES("oidc.group-roles", null, false, "",
      "comma-separated group=role entries, e.g. support-agents=support-l1,security-team=security-analyst "
          + "(required with oidc.issuer)"),
  OIDC_CLOCK_SKEW("oidc.clock-skew", null, false, "60s", "a duration from 0s to 5m in whole seconds, e.g. 60s"),
  OIDC_CONNECT_TIMEOUT("oidc.connect-timeout", null, false, "5s", "a duration from 1ms to 2m, e.g. 5s"),
  OIDC_READ_TIMEOUT("oidc.read-timeout", null, false, "10s", "a duration from 1ms to 2m, e.g. 10s"),
  CUSTOMER_JWKS("customer.jwks", null, false, "",
      "empty (customer transparency off: /v1/me/access-log answers 401) or where the exchange's customer login "
          + "publishes its JWK set: an https URL (http only for localhost) or a file path"),
  CUSTOMER_ISSUER("customer.issuer", null, false, "", "the exact iss of customer tokens (required with customer.jwks)"),
  CUSTOMER_AUDIENCE("customer.audience", null, false, "",
      "a value the aud of customer tokens must contain (required with customer.jwks)"),
  CUSTOMER_ID_CLAIM("customer.id-claim", null, false, "sub", "the customer token claim holding the customer id"),
  CUSTOMER_ALGORITHMS("customer.algorithms", null, false, "ES256,RS256,EdDSA",
      "comma-separated signature algorithms accepted for customer tokens: a non-empty subset of ES256, RS256, EdDSA"),
  CUSTOMER_CLOCK_SKEW("customer.clock-skew", null, false, "60s",
      "a duration from 0s to 5m in whole seconds: tolerance for the exp, nbf and iat of customer tokens"),
  SIMULATION_CLOCK("simulation.clock", null, false, "",
      "empty (the system clock) or an ISO-8601 instant, e.g. 2025-03-02T00:00:00Z: the installation's clock starts "
          + "there and stands still until a simulator moves it (POST /v1/simulation/clock, custos simulate --url); "
          + "embedded database only, never for real customers"),
  SESSION_IDLE("session.idle", null, false, "15m",
      "a duration from 1m to 12h, e.g. 15m: a staff session unused this long is over (ASVS 7.3.1)"),
  SESSION_ABSOLUTE("session.absolute", null, false, "10h",
      "a duration from 1h to 24h, e.g. 10h: a staff session is over this long after login, however active (ASVS 7.3.2)"),
  ACCESS_FIELD_CATALOGUE("access.field-catalogue", null, false, "",
      "empty (the exchange default catalogue) or the path of a field catalogue file (format in docs/design/vault.md)"),
  ACCESS_MFA_WINDOW("access.mfa-window", null, false, "5m",
      "a duration from 1s to 60m, e.g. 5m: how recent a reveal's second factor must be"),
  ACCESS_BREAK_GLASS_ROLES("access.break-glass-roles", null, false, "support-l2,fraud-analyst,security-analyst",
      "comma-separated roles that may break the glass (empty: nobody); not admin or auditor"),
  QUOTA_OFF_TICKET_PER_HOUR("quota.off-ticket-customers-per-hour", null, false, "0",
      "an integer from 0 to 100000: distinct customers a member of staff may see outside assigned tickets in any hour"),
  QUOTA_OFF_TICKET_PER_DAY("quota.off-ticket-customers-per-day", null, false, "0",
      "an integer from 0 to 100000, not below quota.off-ticket-customers-per-hour: the same in any 24 hours"),
  QUOTA_REVEALS_PER_HOUR("quota.reveals-per-hour", null, false, "20", "an integer from 0 to 100000: reveals in any hour"),
  QUOTA_SEARCHES_PER_HOUR("quota.searches-per-hour", null, false, "30",
      "an integer from 0 to 100000: searches in any hour"),
  QUOTA_BREAK_GLASS_PER_DAY("quota.break-glass-customers-per-day", null, false, "3",
      "an integer from 0 to 100000: distinct customers seen under break-glass in any 24 hours"),
  VAULT_PREVIOUS_KEKS("vault.previous-keks", null, false, "",
      "empty or comma-separated paths of older key-encryption-key files (mode 0600, each with its '# kek-id: N' line), "
          + "read besides <data>/keys/vault-kek.<N>.key"),
  VAULT_ROTATION_INTERVAL("vault.rotation-interval", null, false, "1h",
      "a duration from 1s to 7d, e.g. 1h: how often the background key rotation looks for work"),
  VAULT_ROTATION_BATCH("vault.rotation-batch-size", null, false, "100",
      "an integer from 1 to 10000: customers per batch of the background key rotation"),
  VAULT_DATA_KEY_MAX_AGE("vault.data-key-max-age", null, false, "",
      "empty (data keys are rotated only with custos keys rotate-data-keys) or a duration from 1d to 3650d, e.g. 365d: "
          + "the server rotates data keys older than this in the background"),
  ALERTS_WEBHOOK_URL("alerts.webhook.url", null, false, "",
      "empty (no webhook) or the URL alerts are POSTed to: https, http only for localhost, 127.0.0.1 or ::1; "
          + "no user info or fragment"),
  ALERTS_WEBHOOK_SECRET_FILE("alerts.webhook.secret-file", null, false, "",
      "the path of a file readable by its owner only (mode 0600) holding the webhook's HMAC secret on one line, "
          + "at least 16 characters (required with alerts.webhook.url)"),
  ALERTS_OCSF_FILE("alerts.ocsf.file", null, false, "",
      "empty (no OCSF export) or the path of a file OCSF Detection Finding JSON lines are appended to"),
  ALERTS_SYSLOG_ADDRESS("alerts.syslog.address", null, false, "",
      "empty (no syslog) or host:port ([IPv6]:port) of a syslog receiver taking RFC 5424 over TCP with "
          + "octet-counting framing (RFC 6587), port 1 to 65535"),
  DETECTION_THRESHOLDS("detection.thresholds", null, false, "9.5,10,11.5,12",
      "four comma-separated risk scores, each above 0 and at most 30 with up to three decimals, strictly increasing: "
          + "where the detector alerts, asks for step-up, throttles and suspends (docs/detection.md)"),
  APPROVALS_POLICY_FILE("approvals.policy-file", null, false, "",
      "empty (the default approval catalogue and withdrawal rules) or the path of a file of overrides, "
          + "e.g. '2fa-reset.required = 3' or 'withdrawals.asset.BTC = 1 50 2' (docs/design/approvals.md)"),
  APPROVALS_WEBHOOK_URL("approvals.webhook.url", null, false, "",
      "empty (no backend: customer notices and executions of the backend's actions wait, failing closed) or the "
          + "URL approval events are POSTed to: https, http only for localhost, 127.0.0.1 or ::1; no user info or fragment"),
  APPROVALS_WEBHOOK_SECRET_FILE("approvals.webhook.secret-file", null, false, "",
      "the path of a file readable by its owner only (mode 0600) holding the approval webhook's HMAC secret on one "
          + "line, at least 16 characters (required with approvals.webhook.url)"),
  NOTIFY_SMTP_HOST("notify.smtp.host", null, false, "",
      "empty (customer notifications off) or the host name or IP address of the SMTP server"),
  NOTIFY_SMTP_PORT("notify.smtp.port", null, false, "587", "an integer from 1 to 65535"),
  NOTIFY_SMTP_TLS("notify.smtp.tls", null, false, "starttls",
      "starttls (required, not opportunistic), tls (implicit TLS, usually port 465) or none (only for a server on "
          + "localhost, 127.0.0.1 or ::1)"),
  NOTIFY_SMTP_USERNAME("notify.smtp.username", null, false, "", "empty (no authentication) or the SMTP user name"),
  NOTIFY_SMTP_PASSWORD("notify.smtp.password", null, true, "",
      "the SMTP password (secret; environment or file only; needs notify.smtp.username)"),
  NOTIFY_FROM("notify.from", null, false, "", "the sender's e-mail address (required with notify.smtp.host)"),
  NOTIFY_EXCHANGE_NAME("notify.exchange-name", null, false, "Custos",
      "the exchange's name as the notification signs with it ({{exchange}}), 1 to 100 characters on one line"),
  NOTIFY_TEMPLATES_DIR("notify.templates-dir", null, false, "",
      "empty (<data>/templates) or a directory whose notification.<language>.txt files replace the built-in templates"),
  NOTIFY_DEFAULT_LANGUAGE("notify.default-language", null, false, "en",
      "a two-letter lower-case language code with a template (built in: en, de)"),
  NOTIFY_LANGUAGE_FIELD("notify.language-field", null, false, "language",
      "the vault field holding a customer's language code, used when the field catalogue has it"),
  NOTIFY_LANGUAGES_BY_NATIONALITY("notify.languages-by-nationality", null, false, "DE=de,AT=de,LI=de",
      "empty or comma-separated NATIONALITY=language entries (ISO 3166 alpha-2 = ISO 639-1), used when no language "
          + "field says"),
  NOTIFY_ATTEMPTS("notify.attempts", null, false, "10",
      "an integer from 1 to 100: attempts per notification, with exponential back-off from 1 s to 5 min between them");

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
