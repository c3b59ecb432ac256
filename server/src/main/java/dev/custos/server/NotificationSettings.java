package dev.custos.server;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How customers are notified of an incident: the SMTP server, the sender, the templates and the
 * language rules (docs/incident-response.md, "Notifications"). Notifications are off while no SMTP
 * host is set.
 *
 * @param smtpHost the SMTP server (empty: notifications off)
 * @param smtpPort its port
 * @param tls {@code starttls} (required), {@code tls} (implicit TLS, port 465) or {@code none} (only for
 *     a server on this machine: a test or a local relay)
 * @param username the SMTP user, if the server wants authentication
 * @param password the SMTP password (secret; with a username)
 * @param from the sender address, e.g. {@code security@exchange.example}
 * @param exchangeName the name the e-mail signs with ({@code {{exchange}}})
 * @param templatesDir where edited templates ({@code notification.<language>.txt}) override the defaults
 * @param defaultLanguage the language of customers whose language is not known
 * @param languageField the vault field holding a customer's language, if the catalogue has one
 * @param languagesByNationality nationality (ISO 3166 alpha-2) to language, when no language field says
 * @param attempts attempts per notification before it is given up (1 to 100)
 */
public record NotificationSettings(Optional<String> smtpHost, int smtpPort, Tls tls, Optional<String> username,
    Optional<Secret> password, String from, String exchangeName, Optional<Path> templatesDir, String defaultLanguage,
    String languageField, Map<String, String> languagesByNationality, int attempts) {
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+\\-]{1,64}@[A-Za-z0-9.\\-]{1,253}");

  /** How the SMTP connection is protected. */
  public enum Tls {
    STARTTLS("starttls"),
    TLS("tls"),
    NONE("none");

    final String wireName;

    Tls(String wireName) {
      this.wireName = wireName;
    }

    static Tls parse(String text) {
      for (Tls t : values()) {
        if (t.wireName.equals(text)) {
          return t;
        }
      }
      throw new IllegalArgumentException("tls must be starttls, tls or none");
    }
  }

  public NotificationSettings {
    Objects.requireNonNull(smtpHost, "smtpHost");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(exchangeName, "exchangeName");
    Objects.requireNonNull(templatesDir, "templatesDir");
    Objects.requireNonNull(languageField, "languageField");
    if (smtpPort < 1 || smtpPort > 65535) {
      throw new IllegalArgumentException("smtpPort must be 1..65535");
    }
    if (!LANGUAGE.matcher(defaultLanguage).matches()) {
      throw new IllegalArgumentException("defaultLanguage is a two-letter lower-case code");
    }
    if (smtpHost.isPresent() && !ADDRESS.matcher(from).matches()) {
      throw new IllegalArgumentException("from must be an e-mail address");
    }
    if (password.isPresent() && username.isEmpty()) {
      throw new IllegalArgumentException("a password needs a username");
    }
    if (attempts < 1 || attempts > 100) {
      throw new IllegalArgumentException("attempts must be 1..100");
    }
    languagesByNationality = Map.copyOf(languagesByNationality);
  }

  /** Whether notifications can be sent at all. */
  public boolean enabled() {
    return smtpHost.isPresent();
  }

  /** Whether {@code text} is a language code. */
  static boolean isLanguage(String text) {
    return text != null && LANGUAGE.matcher(text).matches();
  }

  /** Off: no SMTP server. */
  public static NotificationSettings off() {
    return new NotificationSettings(Optional.empty(), 587, Tls.STARTTLS, Optional.empty(), Optional.empty(), "", "Custos",
        Optional.empty(), "en", "language", Map.of("DE", "de", "AT", "de", "LI", "de"), 10);
  }

  @Override
  public String toString() {
    return "NotificationSettings[smtp=" + smtpHost.map(h -> h + ":" + smtpPort + " " + tls.wireName).orElse("off")
        + ", from=" + from + ", password=" + (password.isPresent() ? "***" : "none") + "]";
  }
}
