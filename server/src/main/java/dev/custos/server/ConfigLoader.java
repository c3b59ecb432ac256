package dev.custos.server;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.custos.identity.oidc.OidcSettings;
import dev.custos.identity.webauthn.WebAuthnSettings;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.Parsed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds a {@link CustosConfig} from flags, the environment ({@code CUSTOS_*}) and a YAML file,
 * in that order of precedence, over the defaults.
 *
 * <p>Fails closed: an unknown key in the file, an unknown {@code CUSTOS_*} variable or an
 * invalid value MUST refuse the whole configuration with a {@link ConfigException} naming the key
 * and what it allows. Nothing is clamped or guessed.
 */
public final class ConfigLoader {
  /** Environment variable naming the configuration file when {@code --config} is absent. */
  public static final String CONFIG_ENV = "CUSTOS_CONFIG";
  /** Variables with this prefix belong to the test harness and are ignored. */
  static final String RESERVED_TEST_PREFIX = "CUSTOS_TEST_";

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\-\\[\\]%]{1,253}");
  private static final Pattern DB_USER = Pattern.compile("[A-Za-z0-9_.@\\-]{1,63}");
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param flags values given as command-line flags, by key ({@code http.port} → {@code "8080"})
   * @param env the process environment
   * @param file the YAML file given with {@code --config}, or {@code null} to use
   *     {@value #CONFIG_ENV} when set, else no file
   * @param workingDir the directory relative paths are resolved against
   */
  public static CustosConfig load(Map<String, String> flags, Map<String, String> env, Path file, Path workingDir)
      throws ConfigException {
    Map<Setting, String> values = new EnumMap<>(Setting.class);
    Map<String, String> sources = new LinkedHashMap<>();
    for (Setting s : Setting.values()) {
      values.put(s, s.defaultValue);
      sources.put(s.key, "default");
    }

    Path configFile = file;
    if (configFile == null && env.get(CONFIG_ENV) != null && !env.get(CONFIG_ENV).isBlank()) {
      configFile = path(CONFIG_ENV, env.get(CONFIG_ENV), workingDir);
    }
    if (configFile != null) {
      final Path cfg = configFile;
      Map<String, String> fromFile = readFile(cfg);
      for (var e : fromFile.entrySet()) {
        Setting s = Setting.byKey(e.getKey()).orElseThrow(() -> new ConfigException(e.getKey(),
            "unknown configuration key '" + e.getKey() + "' in " + cfg.getFileName()
                + "; known keys: " + String.join(", ", Setting.keys())));
        values.put(s, e.getValue());
        sources.put(s.key, "file " + cfg.getFileName());
      }
    }

    for (var e : new TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("CUSTOS_") || name.equals(CONFIG_ENV) || name.startsWith(RESERVED_TEST_PREFIX)) {
        continue;
      }
      Setting s = Setting.byEnv(name).orElseThrow(() -> new ConfigException(name,
          "unknown environment variable " + name + "; known: " + CONFIG_ENV + ", "
              + java.util.Arrays.stream(Setting.values()).map(Setting::env).collect(Collectors.joining(", "))));
      values.put(s, e.getValue());
      sources.put(s.key, "environment " + name);
    }

    for (var e : flags.entrySet()) {
      Setting s = Setting.byKey(e.getKey()).orElseThrow(() -> new IllegalArgumentException("no setting " + e.getKey()));
      if (s.flag == null) {
        throw new IllegalArgumentException("setting " + s.key + " has no flag");
      }
      values.put(s, e.getValue());
      sources.put(s.key, "flag " + s.flag);
    }

    Optional<String> dbUser = optional(values.get(Setting.DB_USER));
    checkUser(dbUser, sources);
    return new CustosConfig(
        path(Setting.DATA, values, sources, workingDir),
        host(values, sources),
        integer(Setting.HTTP_PORT, values, sources, 0, 65535),
        dbUrl(values, sources),
        dbUser,
        optional(values.get(Setting.DB_PASSWORD)).map(Secret::of),
        integer(Setting.DB_POOL_SIZE, values, sources, 1, 200),
        optionalPath(Setting.LEDGER_SIGNING_KEY, values, sources, workingDir),
        witnesses(values, sources),
        webAuthn(values, sources),
        oidc(values, sources),
        customerTokens(values, sources, workingDir),
        access(values, sources, workingDir),
        vault(values, sources, workingDir),
        alerts(values, sources, workingDir),
        detection(values, sources),
        approvals(values, sources, workingDir),
        notifications(values, sources, workingDir),
        sessions(values, sources),
        simulationClock(values, sources),
        sources);
  }

  /** The detector's policy of {@code detection.thresholds} (see {@link #detectionPolicy(String)}). */
  private static dev.custos.detect.DetectionPolicy detection(Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    try {
      return detectionPolicy(values.get(Setting.DETECTION_THRESHOLDS));
    } catch (IllegalArgumentException e) {
      throw invalid(Setting.DETECTION_THRESHOLDS, values.get(Setting.DETECTION_THRESHOLDS), sources);
    }
  }

  /**
   * The detector's policy: the defaults with {@code thresholds} (alert, step-up, throttle, suspend),
   * four decimal numbers above 0 and at most 30 (the risk a decoy touch reads), strictly increasing,
   * as {@code detection.thresholds} and {@code custos simulate --thresholds} take them. The cap
   * refuses a list on another scale (say 90,100,120,130), which would switch containment off
   * without a word.
   *
   * @throws IllegalArgumentException naming the rule, when {@code thresholds} breaks it
   */
  public static dev.custos.detect.DetectionPolicy detectionPolicy(String thresholds) {
    List<String> parts = list(thresholds);
    IllegalArgumentException bad = new IllegalArgumentException(Setting.DETECTION_THRESHOLDS.allowed);
    if (parts.size() != 4) {
      throw bad;
    }
    double[] t = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!parts.get(i).matches("[0-9]{1,2}(\\.[0-9]{1,3})?")) {
        throw bad;
      }
      t[i] = Double.parseDouble(parts.get(i));
      if (t[i] > MAX_THRESHOLD) {
        throw bad;
      }
    }
    try {
      return dev.custos.detect.DetectionPolicy.builder().thresholds(t[0], t[1], t[2], t[3]).build();
    } catch (IllegalArgumentException e) { // zero, or not strictly increasing
      throw bad;
    }
  }

  /** How long staff sessions live: idle and absolute timeouts, each within its bounds, idle not above absolute. */
  private static dev.custos.identity.SessionPolicy sessions(Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    java.time.Duration idle = boundedDuration(Setting.SESSION_IDLE, values, sources, java.time.Duration.ofMinutes(1),
        java.time.Duration.ofHours(12));
    java.time.Duration absolute = boundedDuration(Setting.SESSION_ABSOLUTE, values, sources, java.time.Duration.ofHours(1),
        java.time.Duration.ofHours(24));
    if (idle.compareTo(absolute) > 0) {
      throw new ConfigException(Setting.SESSION_IDLE.key, "invalid configuration: " + Setting.SESSION_IDLE.key + " = '"
          + printable(values.get(Setting.SESSION_IDLE)) + "' (from " + sources.get(Setting.SESSION_IDLE.key)
          + ") is longer than " + Setting.SESSION_ABSOLUTE.key + " = '" + printable(values.get(Setting.SESSION_ABSOLUTE))
          + "'; a session cannot idle longer than it may live");
    }
    dev.custos.identity.SessionPolicy d = dev.custos.identity.SessionPolicy.DEFAULT;
    return new dev.custos.identity.SessionPolicy(idle, absolute, d.pending(), d.touchEvery());
  }

  /** Where a simulation installation's clock starts: empty for the system clock. */
  private static Optional<java.time.Instant> simulationClock(Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    String v = values.get(Setting.SIMULATION_CLOCK).strip();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.Instant.parse(v));
    } catch (java.time.format.DateTimeParseException e) {
      throw invalid(Setting.SIMULATION_CLOCK, v, sources);
    }
  }

  private static java.time.Duration boundedDuration(Setting s, Map<Setting, String> values, Map<String, String> sources,
      java.time.Duration min, java.time.Duration max) throws ConfigException {
    java.time.Duration d = duration(s, values, sources);
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw invalid(s, values.get(s), sources);
    }
    return d;
  }

  /** The highest risk a detection threshold may be: what a decoy touch reads. */
  private static final double MAX_THRESHOLD = 30;
  private static final Pattern DURATION = Pattern.compile("(0|[1-9][0-9]{0,6})(ms|s|m|h|d)");

  /**
   * The customer-data policy: catalogue, reveal MFA window, break-glass roles and quotas, checked
   * together (the catalogue must hold the fields the policy searches and shows).
   */
  private static AccessSettings access(Map<Setting, String> values, Map<String, String> sources, Path workingDir)
      throws ConfigException {
    Optional<Path> catalogueFile = optionalPath(Setting.ACCESS_FIELD_CATALOGUE, values, sources, workingDir);
    dev.custos.vault.FieldCatalogue catalogue = dev.custos.vault.FieldCatalogue.exchangeDefault();
    if (catalogueFile.isPresent()) {
      catalogue = parsedFile(Setting.ACCESS_FIELD_CATALOGUE, "catalogue", catalogueFile.get(), sources,
          dev.custos.vault.FieldCatalogue::parse);
    }
    dev.custos.access.PolicySettings.Builder policy = dev.custos.access.PolicySettings.builder();
    Setting at = Setting.ACCESS_MFA_WINDOW;
    try {
      policy.mfaWindow(duration(at, values, sources));
      at = Setting.ACCESS_BREAK_GLASS_ROLES;
      Set<dev.custos.access.Role> roles = java.util.EnumSet.noneOf(dev.custos.access.Role.class);
      for (String r : list(values.get(at))) {
        roles.add(dev.custos.access.Role.parse(r));
      }
      policy.breakGlassRoles(roles);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at.key, "invalid configuration: " + at.key + " = '" + printable(values.get(at))
          + "' (from " + sources.get(at.key) + "): " + e.getMessage() + "; allowed: " + at.allowed);
    }
    dev.custos.access.PolicySettings settings = policy.build();
    try {
      new dev.custos.access.AccessPolicy(catalogue, settings);
    } catch (IllegalArgumentException e) {
      String key = Setting.ACCESS_FIELD_CATALOGUE.key;
      throw new ConfigException(key, "invalid configuration: " + key + " (from " + sources.get(key)
          + "): the catalogue does not fit the access policy: " + e.getMessage());
    }
    long hour = integer(Setting.QUOTA_OFF_TICKET_PER_HOUR, values, sources, 0, 100_000);
    long day = integer(Setting.QUOTA_OFF_TICKET_PER_DAY, values, sources, 0, 100_000);
    if (day < hour) {
      String key = Setting.QUOTA_OFF_TICKET_PER_DAY.key;
      throw new ConfigException(key, "invalid configuration: " + key + " = " + day + " (from " + sources.get(key)
          + ") is below " + Setting.QUOTA_OFF_TICKET_PER_HOUR.key + " = " + hour + "; allowed: "
          + Setting.QUOTA_OFF_TICKET_PER_DAY.allowed);
    }
    dev.custos.access.QuotaSettings quotas = new dev.custos.access.QuotaSettings(hour, day,
        integer(Setting.QUOTA_REVEALS_PER_HOUR, values, sources, 0, 100_000),
        integer(Setting.QUOTA_SEARCHES_PER_HOUR, values, sources, 0, 100_000),
        integer(Setting.QUOTA_BREAK_GLASS_PER_DAY, values, sources, 0, 100_000));
    return new AccessSettings(catalogueFile, catalogue, settings, quotas);
  }

  /** Older KEK files, the background rotation's interval and batch, the data keys' maximum age. */
  private static VaultSettings vault(Map<Setting, String> values, Map<String, String> sources, Path workingDir)
      throws ConfigException {
    List<Path> previous = new java.util.ArrayList<>();
    for (String p : list(values.get(Setting.VAULT_PREVIOUS_KEKS))) {
      if (p.isEmpty()) {
        throw invalid(Setting.VAULT_PREVIOUS_KEKS, values.get(Setting.VAULT_PREVIOUS_KEKS), sources);
      }
      previous.add(path(Setting.VAULT_PREVIOUS_KEKS.key, p, workingDir));
    }
    java.time.Duration interval = duration(Setting.VAULT_ROTATION_INTERVAL, values, sources);
    if (interval.compareTo(java.time.Duration.ofSeconds(1)) < 0 || interval.compareTo(java.time.Duration.ofDays(7)) > 0) {
      throw invalid(Setting.VAULT_ROTATION_INTERVAL, values.get(Setting.VAULT_ROTATION_INTERVAL), sources);
    }
    int batch = integer(Setting.VAULT_ROTATION_BATCH, values, sources, 1, 10_000);
    Optional<java.time.Duration> maxAge = Optional.empty();
    if (optional(values.get(Setting.VAULT_DATA_KEY_MAX_AGE)).isPresent()) {
      java.time.Duration d = duration(Setting.VAULT_DATA_KEY_MAX_AGE, values, sources);
      if (d.compareTo(java.time.Duration.ofDays(1)) < 0 || d.compareTo(java.time.Duration.ofDays(3650)) > 0) {
        throw invalid(Setting.VAULT_DATA_KEY_MAX_AGE, values.get(Setting.VAULT_DATA_KEY_MAX_AGE), sources);
      }
      maxAge = Optional.of(d);
    }
    return new VaultSettings(previous, interval, batch, maxAge);
  }

  private static final Pattern SYSLOG_ADDRESS = Pattern.compile("(?:\\[([0-9A-Fa-f:.%]+)\\]|([A-Za-z0-9.\\-]{1,253})):([0-9]{1,5})");

  /**
   * Where alerts are delivered. The webhook secret file is only named here; it is read (and its
   * mode checked) when the server starts, so that {@code custos config print} never touches it.
   */
  private static AlertSettings alerts(Map<Setting, String> values, Map<String, String> sources, Path workingDir)
      throws ConfigException {
    Webhook hook = webhook(Setting.ALERTS_WEBHOOK_URL, Setting.ALERTS_WEBHOOK_SECRET_FILE, values, sources, workingDir);
    Optional<java.net.URI> url = hook.url();
    Optional<Path> secretFile = hook.secretFile();
    Optional<Path> ocsf = optionalPath(Setting.ALERTS_OCSF_FILE, values, sources, workingDir);
    Optional<AlertSettings.SyslogAddress> syslog = Optional.empty();
    Optional<String> address = optional(values.get(Setting.ALERTS_SYSLOG_ADDRESS));
    if (address.isPresent()) {
      java.util.regex.Matcher m = SYSLOG_ADDRESS.matcher(address.get());
      int port = m.matches() ? Integer.parseInt(m.group(3)) : 0;
      if (port < 1 || port > 65535) {
        throw invalid(Setting.ALERTS_SYSLOG_ADDRESS, address.get(), sources);
      }
      syslog = Optional.of(new AlertSettings.SyslogAddress(m.group(1) != null ? m.group(1) : m.group(2), port));
    }
    return new AlertSettings(url, secretFile, ocsf, syslog);
  }

  /** A signed outbound webhook: its URL and the file of its HMAC secret, both or neither. */
  private record Webhook(Optional<java.net.URI> url, Optional<Path> secretFile) {}

  /**
   * A webhook's URL (https, or http to this machine only; no user info or fragment) and its secret
   * file, which must come together. The secret file is only named here; it is read (and its mode
   * checked) when the server starts, so that {@code custos config print} never touches it.
   */
  private static Webhook webhook(Setting urlSetting, Setting secretSetting, Map<Setting, String> values,
      Map<String, String> sources, Path workingDir) throws ConfigException {
    Optional<java.net.URI> url = Optional.empty();
    Optional<String> urlText = optional(values.get(urlSetting));
    if (urlText.isPresent()) {
      java.net.URI u = uri(urlSetting, urlText.get(), sources);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
      String host = u.getHost() == null ? "" : u.getHost().toLowerCase(java.util.Locale.ROOT);
      boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
      if (!u.isAbsolute() || host.isEmpty() || u.getRawUserInfo() != null || u.getRawFragment() != null
          || !(scheme.equals("https") || scheme.equals("http") && loopback)) {
        throw invalid(urlSetting, urlText.get(), sources);
      }
      url = Optional.of(u);
    }
    Optional<Path> secretFile = optionalPath(secretSetting, values, sources, workingDir);
    if (url.isPresent() && secretFile.isEmpty()) {
      String key = secretSetting.key;
      throw new ConfigException(key, "invalid configuration: " + key + " is required when " + urlSetting.key
          + " is set; allowed: " + secretSetting.allowed);
    }
    if (url.isEmpty() && secretFile.isPresent()) {
      String key = urlSetting.key;
      throw new ConfigException(key, "invalid configuration: " + secretSetting.key + " is set (from "
          + sources.get(secretSetting.key) + ") but " + key + " is empty; set " + key + " or remove " + secretSetting.key);
    }
    return new Webhook(url, secretFile);
  }

  /** The approval catalogue and withdrawal rules (defaults with the policy file's overrides) and the approval webhook. */
  private static ApprovalSettings approvals(Map<Setting, String> values, Map<String, String> sources, Path workingDir)
      throws ConfigException {
    Optional<Path> policyFile = optionalPath(Setting.APPROVALS_POLICY_FILE, values, sources, workingDir);
    dev.custos.approval.ApprovalPolicyFile policy = dev.custos.approval.ApprovalPolicyFile.defaults();
    if (policyFile.isPresent()) {
      policy = parsedFile(Setting.APPROVALS_POLICY_FILE, "policy", policyFile.get(), sources,
          dev.custos.approval.ApprovalPolicyFile::parse);
    }
    Webhook hook = webhook(Setting.APPROVALS_WEBHOOK_URL, Setting.APPROVALS_WEBHOOK_SECRET_FILE, values, sources,
        workingDir);
    return new ApprovalSettings(policyFile, policy, hook.url(), hook.secretFile());
  }

  /** A path setting, or empty when it is not set. */
  private static Optional<Path> optionalPath(Setting setting, Map<Setting, String> values, Map<String, String> sources,
      Path workingDir) throws ConfigException {
    return optional(values.get(setting)).isEmpty() ? Optional.empty()
        : Optional.of(path(setting, values, sources, workingDir));
  }

  /**
   * The file a setting names, read and parsed by {@code parser}; a file that cannot be read, or whose
   * text {@code parser} refuses, is a configuration error naming the setting, the file and the parser's reason.
   */
  private static <T> T parsedFile(Setting setting, String what, Path file, Map<String, String> sources,
      java.util.function.Function<String, T> parser) throws ConfigException {
    String text = readText(setting, what, file, sources);
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting.key, "invalid configuration: " + setting.key + " (from " + sources.get(setting.key)
          + "): " + file.getFileName() + ": " + e.getMessage());
    }
  }

  /** The text of the file a setting names; a file that cannot be read is a configuration error naming the setting. */
  private static String readText(Setting setting, String what, Path file, Map<String, String> sources)
      throws ConfigException {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(setting.key, "invalid configuration: " + setting.key + " (from " + sources.get(setting.key)
          + "): the " + what + " file " + file + " cannot be read ("
          + (e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName()) + ")");
    }
  }

  /** The WebAuthn relying party: {@code webauthn.rp-id} and {@code webauthn.origins} (default {@code http://localhost:<port>}). */
  private static final Pattern SMTP_HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|[0-9A-Fa-f:.]{2,45}");
  private static final Pattern MAIL_ADDRESS = Pattern.compile("[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9.\\-]{1,253}");
  private static final Pattern NATIONALITY_LANGUAGE = Pattern.compile("([A-Z]{2})=([a-z]{2})");

  /** How customers are notified of an incident; every notify.* key but the host is refused without the host. */
  private static NotificationSettings notifications(Map<Setting, String> values, Map<String, String> sources,
      Path workingDir) throws ConfigException {
    Optional<String> host = optional(values.get(Setting.NOTIFY_SMTP_HOST));
    if (host.isPresent() && !SMTP_HOST.matcher(host.get()).matches()) {
      throw invalid(Setting.NOTIFY_SMTP_HOST, host.get(), sources);
    }
    int port = integer(Setting.NOTIFY_SMTP_PORT, values, sources, 1, 65535);
    NotificationSettings.Tls tls;
    try {
      tls = NotificationSettings.Tls.parse(values.get(Setting.NOTIFY_SMTP_TLS).strip());
    } catch (IllegalArgumentException e) {
      throw invalid(Setting.NOTIFY_SMTP_TLS, values.get(Setting.NOTIFY_SMTP_TLS), sources);
    }
    if (tls == NotificationSettings.Tls.NONE && host.isPresent()
        && !java.util.Set.of("localhost", "127.0.0.1", "::1").contains(host.get())) {
      throw new ConfigException(Setting.NOTIFY_SMTP_TLS.key, "invalid configuration: " + Setting.NOTIFY_SMTP_TLS.key
          + " = 'none' (from " + sources.get(Setting.NOTIFY_SMTP_TLS.key) + ") is only allowed for an SMTP server on "
          + "localhost; allowed: " + Setting.NOTIFY_SMTP_TLS.allowed);
    }
    Optional<String> username = optional(values.get(Setting.NOTIFY_SMTP_USERNAME));
    Optional<Secret> password = optional(values.get(Setting.NOTIFY_SMTP_PASSWORD)).map(Secret::of);
    if (password.isPresent() && username.isEmpty()) {
      throw new ConfigException(Setting.NOTIFY_SMTP_PASSWORD.key, "invalid configuration: "
          + Setting.NOTIFY_SMTP_PASSWORD.key + " is set but " + Setting.NOTIFY_SMTP_USERNAME.key + " is empty");
    }
    String from = optional(values.get(Setting.NOTIFY_FROM)).orElse("");
    if (host.isPresent() && !MAIL_ADDRESS.matcher(from).matches()) {
      if (from.isEmpty()) {
        throw new ConfigException(Setting.NOTIFY_FROM.key, "invalid configuration: " + Setting.NOTIFY_FROM.key
            + " is required when notify.smtp.host is set; allowed: " + Setting.NOTIFY_FROM.allowed);
      }
      throw invalid(Setting.NOTIFY_FROM, from, sources);
    }
    String name = values.get(Setting.NOTIFY_EXCHANGE_NAME).strip();
    if (name.isEmpty() || name.length() > 100 || name.chars().anyMatch(c -> c < 0x20)) {
      throw invalid(Setting.NOTIFY_EXCHANGE_NAME, name, sources);
    }
    Optional<Path> templates = optionalPath(Setting.NOTIFY_TEMPLATES_DIR, values, sources, workingDir);
    String language = values.get(Setting.NOTIFY_DEFAULT_LANGUAGE).strip();
    if (!NotificationSettings.isLanguage(language)) {
      throw invalid(Setting.NOTIFY_DEFAULT_LANGUAGE, language, sources);
    }
    String field = values.get(Setting.NOTIFY_LANGUAGE_FIELD).strip();
    try {
      dev.custos.vault.Field.parse(field);
    } catch (IllegalArgumentException e) {
      throw invalid(Setting.NOTIFY_LANGUAGE_FIELD, field, sources);
    }
    Map<String, String> byNationality = new java.util.TreeMap<>();
    for (String item : list(values.get(Setting.NOTIFY_LANGUAGES_BY_NATIONALITY))) {
      java.util.regex.Matcher m = NATIONALITY_LANGUAGE.matcher(item);
      if (!m.matches() || byNationality.put(m.group(1), m.group(2)) != null) {
        throw invalid(Setting.NOTIFY_LANGUAGES_BY_NATIONALITY, values.get(Setting.NOTIFY_LANGUAGES_BY_NATIONALITY),
            sources);
      }
    }
    int attempts = integer(Setting.NOTIFY_ATTEMPTS, values, sources, 1, 100);
    return new NotificationSettings(host, port, tls, username, password, from, name, templates, language, field,
        byNationality, attempts);
  }

  private static WebAuthnSettings webAuthn(Map<Setting, String> values, Map<String, String> sources) throws ConfigException {
    String rpId = values.get(Setting.WEBAUTHN_RP_ID).strip();
    Optional<String> listed = optional(values.get(Setting.WEBAUTHN_ORIGINS));
    Set<String> origins = new LinkedHashSet<>();
    if (listed.isEmpty()) {
      int port = Integer.parseInt(values.get(Setting.HTTP_PORT).strip());
      origins.add("http://localhost:" + (port == 0 ? 8080 : port));
    } else {
      for (String o : listed.get().split(",")) {
        origins.add(o.strip());
      }
    }
    try {
      return WebAuthnSettings.of(rpId, "Custos", origins);
    } catch (IllegalArgumentException e) {
      Setting bad = e.getMessage().startsWith("webauthn rpId") ? Setting.WEBAUTHN_RP_ID : Setting.WEBAUTHN_ORIGINS;
      throw new ConfigException(bad.key, "invalid configuration: " + bad.key + " (from " + sources.get(bad.key) + "): "
          + e.getMessage() + "; allowed: " + bad.allowed);
    }
  }

  /**
   * Single sign-on, or empty when {@code oidc.issuer} is. The provider is not contacted here: its
   * metadata is read at the first sign-in, so a provider that is down does not stop Custos.
   */
  private static Optional<OidcSettings> oidc(Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    Optional<String> issuer = optional(values.get(Setting.OIDC_ISSUER));
    if (issuer.isEmpty()) {
      for (Setting s : List.of(Setting.OIDC_CLIENT_ID, Setting.OIDC_CLIENT_SECRET, Setting.OIDC_REDIRECT_URI,
          Setting.OIDC_GROUP_ROLES)) {
        if (optional(values.get(s)).isPresent()) {
          throw new ConfigException(Setting.OIDC_ISSUER.key, "invalid configuration: " + s.key + " is set (from "
              + sources.get(s.key) + ") but oidc.issuer is empty; set oidc.issuer to turn single sign-on on, "
              + "or remove " + s.key);
        }
      }
      return Optional.empty();
    }
    OidcSettings.Builder b = OidcSettings.builder();
    Setting at = Setting.OIDC_ISSUER;
    try {
      b.issuer(uri(at, issuer.get(), sources));
      at = Setting.OIDC_CLIENT_ID;
      b.clientId(required(at, values, sources));
      at = Setting.OIDC_CLIENT_SECRET;
      b.clientSecret(required(at, values, sources));
      at = Setting.OIDC_REDIRECT_URI;
      b.redirectUri(uri(at, required(at, values, sources), sources));
      at = Setting.OIDC_SCOPES;
      b.scopes(List.of(values.get(at).strip().split("[\\s,]+")));
      at = Setting.OIDC_REQUIRE_MFA;
      b.requireMfa(bool(at, values, sources));
      at = Setting.OIDC_REQUIRED_AMR;
      b.requiredAmr(list(values.get(at)));
      at = Setting.OIDC_REQUIRED_ACR;
      b.requiredAcr(list(values.get(at)));
      at = Setting.OIDC_USERNAME_CLAIM;
      b.usernameClaim(values.get(at).strip());
      at = Setting.OIDC_GROUPS_CLAIM;
      b.groupsClaim(values.get(at).strip());
      at = Setting.OIDC_GROUP_ROLES;
      b.groupRoles(OidcSettings.parseGroupRoles(required(at, values, sources)));
      at = Setting.OIDC_CLOCK_SKEW;
      b.clockSkew(duration(at, values, sources));
      at = Setting.OIDC_CONNECT_TIMEOUT;
      b.connectTimeout(duration(at, values, sources));
      at = Setting.OIDC_READ_TIMEOUT;
      b.readTimeout(duration(at, values, sources));
      return Optional.of(b.build());
    } catch (IllegalArgumentException e) {
      // OidcSettings names the key in its messages and never quotes the client secret.
      String key = e.getMessage().startsWith("oidc.") ? e.getMessage().split("[\\s]", 2)[0] : at.key;
      throw new ConfigException(key, "invalid configuration (from " + sources.get(at.key) + "): " + e.getMessage());
    }
  }

  /**
   * How customer tokens are verified, or empty when {@code customer.jwks} is. A key set file is read
   * at start; a URL at the first customer request, so a login service that is down does not stop Custos.
   */
  private static Optional<dev.custos.identity.oidc.CustomerTokenSettings> customerTokens(Map<Setting, String> values,
      Map<String, String> sources, Path workingDir) throws ConfigException {
    Optional<String> jwks = optional(values.get(Setting.CUSTOMER_JWKS));
    if (jwks.isEmpty()) {
      for (Setting s : List.of(Setting.CUSTOMER_ISSUER, Setting.CUSTOMER_AUDIENCE)) {
        if (optional(values.get(s)).isPresent()) {
          throw new ConfigException(Setting.CUSTOMER_JWKS.key, "invalid configuration: " + s.key + " is set (from "
              + sources.get(s.key) + ") but customer.jwks is empty; set customer.jwks to turn customer transparency on, "
              + "or remove " + s.key);
        }
      }
      return Optional.empty();
    }
    Setting at = Setting.CUSTOMER_JWKS;
    try {
      String where = jwks.get().strip();
      Optional<java.net.URI> url = where.matches("(?i)https?://.*") ? Optional.of(uri(at, where, sources)) : Optional.empty();
      Optional<Path> file = url.isPresent() ? Optional.empty() : Optional.of(path(at, values, sources, workingDir));
      for (Setting s : List.of(Setting.CUSTOMER_ISSUER, Setting.CUSTOMER_AUDIENCE)) {
        if (optional(values.get(s)).isEmpty()) {
          throw new ConfigException(s.key, "invalid configuration: " + s.key + " is required when customer.jwks is set; "
              + "allowed: " + s.allowed);
        }
      }
      at = Setting.CUSTOMER_ALGORITHMS;
      java.util.Set<String> algorithms = dev.custos.identity.oidc.CustomerTokenSettings.parseAlgorithms(values.get(at));
      at = Setting.CUSTOMER_CLOCK_SKEW;
      java.time.Duration skew = duration(at, values, sources);
      at = Setting.CUSTOMER_JWKS;
      return Optional.of(new dev.custos.identity.oidc.CustomerTokenSettings(url, file,
          values.get(Setting.CUSTOMER_ISSUER).strip(), values.get(Setting.CUSTOMER_AUDIENCE).strip(),
          values.get(Setting.CUSTOMER_ID_CLAIM).strip(), algorithms, skew, java.time.Duration.ofSeconds(5),
          java.time.Duration.ofSeconds(10)));
    } catch (IllegalArgumentException e) {
      String key = e.getMessage() != null && e.getMessage().startsWith("customer.") ? e.getMessage().split("[\\s:]", 2)[0]
          : at.key;
      throw new ConfigException(key, "invalid configuration (from " + sources.get(at.key) + "): " + e.getMessage());
    }
  }

  private static String required(Setting s, Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    return optional(values.get(s)).orElseThrow(() -> new ConfigException(s.key, "invalid configuration: " + s.key
        + " is required when oidc.issuer is set; allowed: " + s.allowed));
  }

  private static java.net.URI uri(Setting s, String v, Map<String, String> sources) throws ConfigException {
    try {
      return new java.net.URI(v.strip());
    } catch (java.net.URISyntaxException e) {
      throw invalid(s, v, sources);
    }
  }

  private static boolean bool(Setting s, Map<Setting, String> values, Map<String, String> sources) throws ConfigException {
    return switch (values.get(s).strip()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw invalid(s, values.get(s), sources);
    };
  }

  private static List<String> list(String v) {
    return v == null || v.isBlank() ? List.of() : java.util.Arrays.stream(v.split(",")).map(String::strip).toList();
  }

  /** {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 365d}. */
  static java.time.Duration duration(Setting s, Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    java.util.regex.Matcher m = DURATION.matcher(values.get(s).strip());
    if (!m.matches()) {
      throw invalid(s, values.get(s), sources);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> java.time.Duration.ofMillis(n);
      case "s" -> java.time.Duration.ofSeconds(n);
      case "h" -> java.time.Duration.ofHours(n);
      case "d" -> java.time.Duration.ofDays(n);
      default -> java.time.Duration.ofMinutes(n);
    };
  }

  private static Map<String, String> readFile(Path file) throws ConfigException {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException(name, "configuration file " + file + " cannot be read: " + e.getMessage());
    }
    JsonNode root;
    try {
      root = YAML.readTree(text);
    } catch (JacksonException e) {
      JsonLocation at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new ConfigException(name, "configuration file " + name + " is not valid YAML" + where + ": "
          + e.getOriginalMessage().lines().findFirst().orElse(""));
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return flat;
    }
    if (!root.isObject()) {
      throw new ConfigException(name, "configuration file " + name + " must be a YAML mapping of keys to values");
    }
    flatten("", root, flat, name);
    return flat;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out, String file)
      throws ConfigException {
    Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
    while (fields.hasNext()) {
      var f = fields.next();
      String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
      JsonNode v = f.getValue();
      if (v.isObject()) {
        flatten(key, v, out, file);
      } else if (v.isArray()) {
        throw new ConfigException(key, "configuration key '" + key + "' in " + file + " must be a single value, not a list");
      } else {
        out.put(key, v.isNull() ? "" : v.asText());
      }
    }
  }

  private static Optional<String> optional(String v) {
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static ConfigException invalid(Setting s, String value, Map<String, String> sources) {
    String shown = s.secret ? "" : " = '" + printable(value) + "'";
    return new ConfigException(s.key, "invalid configuration: " + s.key + shown + " (from "
        + sources.get(s.key) + "); allowed: " + s.allowed);
  }

  static String printable(String v) {
    String p = v.replaceAll("\\p{Cntrl}", "?");
    return p.length() > 60 ? p.substring(0, 57) + "..." : p;
  }

  private static Path path(Setting s, Map<Setting, String> values, Map<String, String> sources, Path workingDir)
      throws ConfigException {
    String v = values.get(s);
    if (v == null || v.isBlank()) {
      throw invalid(s, v == null ? "" : v, sources);
    }
    try {
      return workingDir.resolve(v.strip()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(s, v, sources);
    }
  }

  private static Path path(String name, String v, Path workingDir) throws ConfigException {
    try {
      return workingDir.resolve(v.strip()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(name, "invalid " + name + " = '" + printable(v) + "'; allowed: a file path");
    }
  }

  private static String host(Map<Setting, String> values, Map<String, String> sources) throws ConfigException {
    String v = values.get(Setting.HTTP_BIND).strip();
    if (!HOST.matcher(v).matches()) {
      throw invalid(Setting.HTTP_BIND, v, sources);
    }
    return v;
  }

  private static int integer(Setting s, Map<Setting, String> values, Map<String, String> sources, int min, int max)
      throws ConfigException {
    String v = values.get(s).strip();
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        throw invalid(s, v, sources);
      }
      return i;
    } catch (NumberFormatException e) {
      throw invalid(s, v, sources);
    }
  }

  private static Optional<String> dbUrl(Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    Optional<String> url = optional(values.get(Setting.DB_URL));
    if (url.isPresent() && (!url.get().startsWith("jdbc:postgresql://") || url.get().length() > 2048
        || url.get().chars().anyMatch(Character::isWhitespace))) {
      // Echo the URL without credentials it may carry.
      throw invalid(Setting.DB_URL, dev.custos.store.JdbcUrls.withoutSecrets(url.get()), sources);
    }
    return url;
  }

  private static List<WitnessTarget> witnesses(Map<Setting, String> values, Map<String, String> sources)
      throws ConfigException {
    Optional<String> all = optional(values.get(Setting.LEDGER_WITNESSES));
    if (all.isEmpty()) {
      return List.of();
    }
    List<WitnessTarget> targets = new java.util.ArrayList<>();
    String[] items = all.get().split(",");
    for (int i = 0; i < items.length; i++) {
      String item = "witness " + (i + 1);
      String[] parts = items[i].strip().split("\\s+");
      if (parts.length != 2) {
        throw witnessInvalid(item, "each witness is '<url> <cosigner vkey>'", sources);
      }
      NoteVerifier key = switch (NoteVerifier.parse(parts[1])) {
        case Parsed.Ok<NoteVerifier> ok -> ok.value();
        case Parsed.Invalid<NoteVerifier> bad -> throw witnessInvalid(item, "the key is not a note verifier key", sources);
      };
      try {
        targets.add(new WitnessTarget(new java.net.URI(parts[0]), key));
      } catch (java.net.URISyntaxException | IllegalArgumentException e) {
        throw witnessInvalid(item, e instanceof IllegalArgumentException ? e.getMessage() : "the URL is malformed", sources);
      }
    }
    if (targets.stream().map(t -> t.key().name()).distinct().count() != targets.size()) {
      throw new ConfigException(Setting.LEDGER_WITNESSES.key, "invalid configuration: " + Setting.LEDGER_WITNESSES.key
          + " names the same witness key twice (from " + sources.get(Setting.LEDGER_WITNESSES.key) + ")");
    }
    return targets;
  }

  private static ConfigException witnessInvalid(String item, String why, Map<String, String> sources) {
    // Name the entry by position only: a URL may carry credentials that must not be echoed.
    return new ConfigException(Setting.LEDGER_WITNESSES.key, "invalid configuration: " + Setting.LEDGER_WITNESSES.key
        + ", " + item + " (from " + sources.get(Setting.LEDGER_WITNESSES.key) + "): " + why);
  }

  static void checkUser(Optional<String> user, Map<String, String> sources) throws ConfigException {
    if (user.isPresent() && !DB_USER.matcher(user.get()).matches()) {
      throw new ConfigException(Setting.DB_USER.key, "invalid configuration: db.user = '" + printable(user.get())
          + "' (from " + sources.get(Setting.DB_USER.key) + "); allowed: " + Setting.DB_USER.allowed);
    }
  }
}
