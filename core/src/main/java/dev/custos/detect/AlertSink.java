package dev.custos.detect;

/**
 * Where raised alerts go besides the alert store: security's tools (a signed webhook, a SIEM over
 * OCSF JSON lines or syslog). {@link #deliver} MUST NOT block the caller for long nor throw: it hands
 * the alert over (to a durable outbox or a queue) and delivery with retries happens elsewhere.
 */
@FunctionalInterface
public interface AlertSink {
  /** Hands {@code alert} over for delivery; never throws. */
  void deliver(Alert alert);

  /** Delivers nowhere. */
  AlertSink NONE = alert -> {};
}
