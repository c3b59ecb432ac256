package dev.custos.server;

import dev.custos.identity.IdentityRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the identity purge ({@link IdentityRetention}) every few minutes on one virtual thread owned
 * by the server: ended sessions past their retention, old login-attempt state, spent TOTP steps.
 * Every instance runs it; the deletes are idempotent, so two instances purging at once only find
 * less to do. A failure is logged and retried at the next run. Rows purged are counted in the metric
 * {@code custos.identity.purged{kind}}.
 */
final class IdentityPurge implements AutoCloseable {
  /** How often the purge runs. */
  static final Duration EVERY = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger(IdentityPurge.class);

  private final IdentityRetention retention;
  private final ScheduledExecutorService scheduler;
  private final Counter sessions;
  private final Counter attempts;
  private final Counter totp;

  private IdentityPurge(IdentityRetention retention, MeterRegistry meters) {
    this.retention = retention;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("custos-identity-purge").factory());
    this.sessions = counter(meters, "sessions");
    this.attempts = counter(meters, "login-attempts");
    this.totp = counter(meters, "totp-steps");
  }

  /** Starts purging: first after one minute (start-up is busy enough), then every {@link #EVERY}. */
  static IdentityPurge start(IdentityRetention retention, MeterRegistry meters) {
    IdentityPurge purge = new IdentityPurge(retention, meters);
    purge.scheduler.scheduleWithFixedDelay(purge::runOnce, 60, EVERY.toSeconds(), TimeUnit.SECONDS);
    return purge;
  }

  private static Counter counter(MeterRegistry meters, String kind) {
    return Counter.builder("custos.identity.purged").description("Identity rows removed by the periodic purge")
        .tag("kind", kind).register(meters);
  }

  /** One purge; never throws (a scheduled task that throws is never run again). */
  void runOnce() {
    try {
      IdentityRetention.Purged p = retention.purge();
      sessions.increment(p.sessions());
      attempts.increment(p.loginAttempts());
      totp.increment(p.totpSteps());
      if (p.total() > 0) {
        log.info("identity purge: {} ended sessions, {} login-attempt rows, {} TOTP steps removed", p.sessions(),
            p.loginAttempts(), p.totpSteps());
      }
    } catch (RuntimeException e) {
      log.warn("identity purge failed, retried in {} minutes: {}", EVERY.toMinutes(), e.toString());
    }
  }

  /** Whether {@link #close} has stopped the schedule and no run is in progress. */
  boolean stopped() {
    return scheduler.isTerminated();
  }

  /** Stops the schedule and waits (briefly) for a run in progress. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("identity purge still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
