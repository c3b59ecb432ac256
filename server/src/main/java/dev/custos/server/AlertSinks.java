package dev.custos.server;

import dev.custos.detect.Alert;
import dev.custos.detect.AlertSink;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The configured alert destinations ({@link AlertSettings}) as one {@link AlertSink}: each alert is
 * handed to every destination's {@link AlertOutbox}, which delivers it with retries on its own
 * thread. Built at start-up; closing stops the outboxes.
 */
final class AlertSinks implements AlertSink, AutoCloseable {
  /** Alerts that may wait per destination; far beyond any burst the detector raises. */
  static final int CAPACITY = 10_000;

  private final List<AlertOutbox> outboxes;

  AlertSinks(List<AlertOutbox> outboxes) {
    this.outboxes = List.copyOf(outboxes);
  }

  /**
   * The destinations {@code settings} configure, started.
   *
   * @throws StartupException naming {@code alerts.webhook.secret-file} when the secret cannot be
   *     read, is readable by others or is shorter than 16 characters
   */
  static AlertSinks from(AlertSettings settings, InstantSource clock, RandomGenerator random, MeterRegistry meters,
      Function<String, AlertOutbox.Journal> journals) throws StartupException {
    return from(settings, Backoff.DELIVERY, localHostname(), clock, random, meters, journals);
  }

  /**
   * The configured destinations.
   *
   * @param journals the delivery record of each destination, by name ({@code webhook}, {@code ocsf},
   *     {@code syslog}); {@code name -> AlertOutbox.Journal.NONE} keeps deliveries in memory only
   */
  static AlertSinks from(AlertSettings settings, Backoff backoff, String hostname, InstantSource clock, RandomGenerator random,
      MeterRegistry meters, Function<String, AlertOutbox.Journal> journals) throws StartupException {
    List<AlertOutbox> started = new ArrayList<>();
    try {
      if (settings.webhookUrl().isPresent()) {
        WebhookSignature signer = new WebhookSignature(
            readSecret(settings.webhookSecretFile().orElseThrow(), Setting.ALERTS_WEBHOOK_SECRET_FILE),
            WebhookSignature.DEFAULT_WINDOW, clock);
        started.add(new AlertOutbox("webhook", new WebhookTransport(settings.webhookUrl().get(), signer, clock), backoff,
            CAPACITY, random, meters, journals.apply("webhook"), clock));
      }
      if (settings.ocsfFile().isPresent()) {
        started.add(new AlertOutbox("ocsf", new OcsfFileTransport(settings.ocsfFile().get()), backoff, CAPACITY, random,
            meters, journals.apply("ocsf"), clock));
      }
      if (settings.syslog().isPresent()) {
        started.add(new AlertOutbox("syslog", new SyslogTransport(settings.syslog().get(), hostname), backoff, CAPACITY,
            random, meters, journals.apply("syslog"), clock));
      }
      return new AlertSinks(started);
    } catch (StartupException | RuntimeException e) {
      started.forEach(AlertOutbox::close);
      throw e;
    }
  }

  /** The secret file's one non-blank line, as UTF-8 bytes: what the receiver is configured with. */
  /** A webhook's HMAC secret from its file (owner-only, one line of at least 16 characters); errors name {@code setting}. */
  static byte[] readSecret(Path file, Setting setting) throws StartupException {
    String key = setting.key;
    if (!Files.exists(file)) {
      throw new StartupException(key + ": " + file + " does not exist", null);
    }
    try {
      DevKeys.checkOwnerOnly(file);
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
      if (lines.size() != 1 || lines.get(0).length() < 16) {
        throw new StartupException(key + ": " + file + " must hold the webhook secret on one line, at least 16 characters",
            null);
      }
      return lines.get(0).getBytes(StandardCharsets.UTF_8);
    } catch (StartupException e) {
      throw e.getMessage().startsWith(key) ? e : new StartupException(key + ": " + e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new StartupException(key + ": " + file + " does not exist", e);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new StartupException(key + ": " + file + " cannot be read: " + Custos.rootMessage(e), e);
    }
  }

  private static String localHostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "-";
    }
  }

  @Override
  public void deliver(Alert alert) {
    for (AlertOutbox o : outboxes) {
      o.deliver(alert);
    }
  }

  /** The destinations' names, for the start-up log. */
  List<String> names() {
    return outboxes.stream().map(AlertOutbox::name).toList();
  }

  @Override
  public void close() {
    outboxes.forEach(AlertOutbox::close);
  }

  @Override
  public String toString() {
    return "AlertSinks" + Arrays.toString(outboxes.toArray());
  }
}
