package dev.custos.server;

import dev.custos.detect.Alert;
import dev.custos.detect.AlertSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import dev.custos.store.AlertDeliveryTable;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p><b>Durable</b> with a {@link Journal} (the server's is the {@code alert_delivery} table): every
 * alert handed over is recorded as waiting before it is queued, every attempt is recorded, and at
 * start (and every {@link #RENEW} after) the outbox takes over the waiting deliveries of processes
 * that stopped: a restart, or a crash once their rows are {@link #STALE}, loses nothing. A clean
 * stop hands its waiting deliveries to the next process at once. Receivers MUST treat the alert id
 * as an idempotency key: an attempt whose answer was lost is sent again, and so is an attempt cut
 * short by a crash. When the journal cannot be written (the database is down) the alert is still
 * delivered from memory, and the failure is logged.
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

  /**
   * Where deliveries are recorded for one destination. Each call may fail with a runtime exception
   * (the database is down); the outbox then logs it and goes on delivering from memory.
   */
  interface Journal {
    /** {@code alertId} waits for this destination (nothing if already recorded). */
    void enqueue(String alertId, Instant at);

    /** Attempt {@code attempts} failed and will be retried. */
    void attempted(String alertId, int attempts, String error, Instant at);

    /** The destination took the alert on attempt {@code attempts}. */
    void delivered(String alertId, int attempts, Instant at);

    /** Given up after {@code attempts} attempts. */
    void failed(String alertId, int attempts, String error, Instant at);

    /** The waiting deliveries of stopped processes (unowned, or not renewed since {@code staleBefore}), now this one's, in order. */
    List<AlertDeliveryTable.Waiting> takeOver(Instant staleBefore, Instant at);

    /** Keeps this process's waiting deliveries from looking abandoned. */
    void renew(Instant at);

    /** Hands this process's waiting deliveries to the next (a clean stop). */
    void release();

    /** The alert with this id, from the alert store. */
    Optional<Alert> alert(String alertId);

    /** No record: deliveries live in memory only (tests of the transports). */
    Journal NONE = new Journal() {
      @Override public void enqueue(String alertId, Instant at) {}
      @Override public void attempted(String alertId, int attempts, String error, Instant at) {}
      @Override public void delivered(String alertId, int attempts, Instant at) {}
      @Override public void failed(String alertId, int attempts, String error, Instant at) {}
      @Override public List<AlertDeliveryTable.Waiting> takeOver(Instant staleBefore, Instant at) {
        return List.of();
      }
      @Override public void renew(Instant at) {}
      @Override public void release() {}
      @Override public Optional<Alert> alert(String alertId) {
        return Optional.empty();
      }
    };
  }

  /** How often waiting deliveries are renewed and abandoned ones looked for. */
  static final Duration RENEW = Duration.ofSeconds(20);
  /** A waiting delivery not renewed for this long belongs to a process that stopped. */
  static final Duration STALE = Duration.ofSeconds(60);

  /** An alert waiting, with the attempts it already had (in this process or an earlier one). */
  private record Item(Alert alert, int attempts) {}

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
  private final BlockingQueue<Item> queue;
  private final Journal journal;
  private final InstantSource clock;
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
    this(name, transport, backoff, capacity, random, meters, Journal.NONE, InstantSource.system());
  }

  /**
   * Starts the outbox's thread, which first takes over what stopped processes left waiting in {@code journal}.
   *
   * @param name the destination's name in logs and the metric's {@code sink} tag ({@code webhook}, ...)
   * @param capacity alerts that may wait at once in memory
   */
  AlertOutbox(String name, Transport transport, Backoff backoff, int capacity, RandomGenerator random, MeterRegistry meters,
      Journal journal, InstantSource clock) {
    this.journal = Objects.requireNonNull(journal, "journal");
    this.clock = Objects.requireNonNull(clock, "clock");
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
    record(() -> journal.enqueue(alert.id(), clock.instant()), alert.id(), "record it as waiting");
    if (!queue.offer(new Item(alert, 0))) {
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
    long nextRenewal = 0;
    while (!closing) {
      long now = System.nanoTime();
      if (now - nextRenewal >= 0) {
        nextRenewal = now + RENEW.toNanos();
        takeOverAbandoned();
      }
      Item item;
      try {
        item = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (item != null && !attempt(item)) {
        return;
      }
    }
  }

  /** Renews this process's waiting deliveries and queues those that stopped processes left. */
  private void takeOverAbandoned() {
    Instant now = clock.instant();
    List<AlertDeliveryTable.Waiting> taken;
    try {
      journal.renew(now);
      taken = journal.takeOver(now.minus(STALE), now);
    } catch (RuntimeException e) {
      log.warn("alert deliveries to {}: the journal cannot be read ({}); will retry", name, Custos.rootMessage(e));
      return;
    }
    for (AlertDeliveryTable.Waiting w : taken) {
      Optional<Alert> alert;
      try {
        alert = journal.alert(w.alertId());
      } catch (RuntimeException e) {
        log.warn("alert {}: cannot be read for delivery to {} ({}); left for a later attempt", w.alertId(), name,
            Custos.rootMessage(e));
        continue;
      }
      if (alert.isEmpty()) {
        failed.increment();
        record(() -> journal.failed(w.alertId(), w.attempts(), "the alert is not in the alert store", now), w.alertId(),
            "record it as failed");
        log.error("alert {} waited for {} but is not in the alert store; not delivered", w.alertId(), name);
      } else if (!queue.offer(new Item(alert.get(), w.attempts()))) {
        log.warn("alert {} left by a stopped process waits for {} in the journal: {} alerts are already queued",
            w.alertId(), name, queue.size());
      } else {
        log.info("alert {} left waiting by a stopped process ({} attempt(s) so far) is being delivered to {}",
            w.alertId(), w.attempts(), name);
      }
    }
  }

  /** Attempts {@code item} until done; false when interrupted (closing). */
  private boolean attempt(Item item) {
    Alert alert = item.alert();
    for (int n = item.attempts() + 1; ; n++) {
      int attempts = n;
      try {
        transport.send(alert);
        delivered.increment();
        record(() -> journal.delivered(alert.id(), attempts, clock.instant()), alert.id(), "record it as delivered");
        return true;
      } catch (Refused e) {
        failed.increment();
        log.error("alert {} refused by {} on attempt {}: {}; not retried", alert.id(), name, n, e.getMessage());
        record(() -> journal.failed(alert.id(), attempts, "refused: " + e.getMessage(), clock.instant()), alert.id(),
            "record it as failed");
        return true;
      } catch (IOException | RuntimeException e) {
        String error = Custos.rootMessage(e);
        if (n >= backoff.attempts()) {
          failed.increment();
          log.error("alert {} not delivered to {} after {} attempts, the last failing with: {}", alert.id(), name, n, error);
          record(() -> journal.failed(alert.id(), attempts, error, clock.instant()), alert.id(), "record it as failed");
          return true;
        }
        Duration wait = backoff.delay(n, random);
        retried.increment();
        log.warn("alert {} attempt {} to {} failed ({}); retrying in {} ms", alert.id(), n, name, error, wait.toMillis());
        record(() -> journal.attempted(alert.id(), attempts, error, clock.instant()), alert.id(), "record the attempt");
        try {
          Thread.sleep(wait);
        } catch (InterruptedException ie) {
          queue.offer(new Item(alert, attempts)); // counted as waiting on close
          return false;
        }
      }
    }
  }

  /** Runs a journal write; a failure is logged, never thrown (the delivery goes on from memory). */
  private void record(Runnable write, String alertId, String what) {
    try {
      write.run();
    } catch (RuntimeException e) {
      log.warn("alert {}: could not {} for {} in the delivery journal: {}", alertId, what, name, Custos.rootMessage(e));
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
    record(journal::release, "*", "hand the waiting deliveries to the next process");
    if (!queue.isEmpty()) {
      log.warn("{} alert(s) were not delivered to {} before shutdown; they wait in the delivery journal for the next"
          + " start", queue.size(), name);
    }
  }

  @Override
  public String toString() {
    return "AlertOutbox[" + name + ", waiting=" + queue.size() + "]";
  }
}
