package dev.custos.server;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where raised alerts are delivered besides the alert store: a signed webhook, an OCSF JSON-lines
 * file, a syslog receiver over TCP. Each is off when empty; see docs/detection.md, "Delivery".
 *
 * @param webhookUrl where alerts are POSTed
 * @param webhookSecretFile the file holding the webhook's HMAC secret (present exactly when the URL is)
 * @param ocsfFile the file OCSF Detection Finding lines are appended to
 * @param syslog the syslog receiver's host and port
 */
public record AlertSettings(Optional<URI> webhookUrl, Optional<Path> webhookSecretFile, Optional<Path> ocsfFile,
    Optional<SyslogAddress> syslog) {
  public AlertSettings {
    Objects.requireNonNull(webhookUrl, "webhookUrl");
    Objects.requireNonNull(webhookSecretFile, "webhookSecretFile");
    Objects.requireNonNull(ocsfFile, "ocsfFile");
    Objects.requireNonNull(syslog, "syslog");
    if (webhookUrl.isPresent() != webhookSecretFile.isPresent()) {
      throw new IllegalArgumentException("a webhook needs both its URL and its secret file");
    }
  }

  /** Delivers nowhere but the alert store. */
  public static AlertSettings none() {
    return new AlertSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Whether any destination is configured. */
  public boolean any() {
    return webhookUrl.isPresent() || ocsfFile.isPresent() || syslog.isPresent();
  }

  /**
   * A syslog receiver.
   *
   * @param host a host name or IP address (IPv6 without brackets)
   * @param port 1 to 65535
   */
  public record SyslogAddress(String host, int port) {
    public SyslogAddress {
      Objects.requireNonNull(host, "host");
      if (host.isBlank() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("a syslog address is host:port with a port from 1 to 65535");
      }
    }

    /** {@code host:port}, IPv6 in brackets, as {@code alerts.syslog.address} reads it back. */
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }
}
