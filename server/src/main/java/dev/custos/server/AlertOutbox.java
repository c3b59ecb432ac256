package dev.custos.server;

import dev.custos.detect.Alert;
import dev.custos.detect.AlertSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to one destination from an in-memory queue on its own thread, retrying each
 * failed attempt with {@link Backoff} until it succeeds, fails permanently or runs out of attempts.
 *
 * <p>{@link #deliver} only enqueues: it never blocks and never throws. The queue is bounded; when
 * it is full the alert is dropped, logged and counted, never waited for. Alerts are delivered in
 * the order raised, one at a time (a destination that is down holds the later ones back).
 *
 * <p><b>Not durable.</b> Alerts waiting here are lost if the process stops; the alert store keeps
 * every alert regardless, and on close the count still waiting is logged. Receivers MUST treat the
 * alert id as an idempotency key: an attempt whose answer was lost is sent again.
 */
final class AlertOutbox implements AlertSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertOutbox.class);

  /** One destination: sends one alert or throws. */
  interface Transport extends AutoCloseable {
    /**
     * Sends {@code alert} once.
     *
     * @throws IOException when the attempt failed and may succeed later
     * @throws Refused when the destination refused the alert and retrying cannot help
     */
    void send(Alert alert) throws IOException, Refused;

    /** Releases connections; the default has none. */
    @Override
    default void close() {}
  }

  /** The destination refused an alert for good (e.g. a webhook answering 400). */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final String name;
  private final Transport transport;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final BlockingQueue<Alert> queue;
  private final Thread worker;
  private final Counter delivered;
  private final Counter retried;
  private final Counter failed;
  private final Counter dropped;
  private volatile boolean closing;

  /**
   * Starts the outbox's thread.
   *
   * @param name the destination's name in logs and the metric's {@code sink} tag ({@code webhook}, ...)
   * @param capacity alerts that may wait at once
   */
  AlertOutbox(String name, Transport transport, Backoff backoff, int capacity, RandomGenerator random, MeterRegistry meters) {
    this.name = Objects.requireNonNull(name, "name");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.random = Objects.requireNonNull(random, "random");
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.delivered = counter(meters, "delivered");
    this.retried = counter(meters, "retried");
    this.failed = counter(meters, "failed");
    this.dropped = counter(meters, "dropped");
    meters.gauge("custos.alert.deliveries.waiting", io.micrometer.core.instrument.Tags.of("sink", name), queue,
        BlockingQueue::size);
    this.worker = Thread.ofPlatform().name("custos-alerts-" + name).daemon().start(this::work);
  }

  private Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("custos.alert.deliveries").tag("sink", name).tag("outcome", outcome)
        .description("Alert delivery attempts by destination and outcome").register(meters);
  }

  @Override
  public void deliver(Alert alert) {
    if (alert == null || closing) {
      return;
    }
    if (!queue.offer(alert)) {
      dropped.increment();
      log.error("alert {} not delivered to {}: {} alerts are already waiting (the destination is down or slow)",
          alert.id(), name, queue.size());
    }
  }

  /** The destination's name ({@code webhook}, {@code ocsf}, {@code syslog}). */
  String name() {
    return name;
  }

  /** Alerts waiting to be delivered, besides the one being attempted. */
  int waiting() {
    return queue.size();
  }

  private void work() {
    while (!closing) {
      Alert alert;
      try {
        alert = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (alert != null && !attempt(alert)) {
        return;
      }
    }
  }

  /** Attempts {@code alert} until done; false when interrupted (closing). */
  private boolean attempt(Alert alert) {
    for (int n = 1; ; n++) {
      try {
        transport.send(alert);
        delivered.increment();
        return true;
      } catch (Refused e) {
        failed.increment();
        log.error("alert {} refused by {} on attempt {}: {}; not retried", alert.id(), name, n, e.getMessage());
        return true;
      } catch (IOException | RuntimeException e) {
        if (n >= backoff.attempts()) {
          failed.increment();
          log.error("alert {} not delivered to {} after {} attempts, the last failing with: {}", alert.id(), name, n,
              Custos.rootMessage(e));
          return true;
        }
        Duration wait = backoff.delay(n, random);
        retried.increment();
        log.warn("alert {} attempt {} to {} failed ({}); retrying in {} ms", alert.id(), n, name, Custos.rootMessage(e),
            wait.toMillis());
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          queue.offer(alert); // counted as waiting on close
          return false;
        }
      }
    }
  }

  /** Stops the thread (an attempt in flight finishes or is cut short) and logs what was still waiting. */
  @Override
  public void close() {
    closing = true;
    worker.interrupt();
    try {
      worker.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    transport.close();
    if (!queue.isEmpty()) {
      log.warn("{} alert(s) were not delivered to {} before shutdown (they remain in the alert store)", queue.size(), name);
    }
  }

  @Override
  public String toString() {
    return "AlertOutbox[" + name + ", waiting=" + queue.size() + "]";
  }
}
