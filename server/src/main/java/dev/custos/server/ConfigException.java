package dev.custos.server;

/**
 * The configuration is unusable: an unknown key, an invalid value or an unreadable file. The
 * message is one line that names the key and what is allowed, and never contains a secret value.
 */
public final class ConfigException extends Exception {
  private final String key;

  public ConfigException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The offending key (for example {@code http.port}), or the file, when no key is involved. */
  public String key() {
    return key;
  }
}
