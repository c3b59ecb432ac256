package dev.custos.server;

import dev.custos.approval.ApprovalDesk;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves approval requests on in the background ({@link ApprovalDesk#sweep}): expiry, customer
 * notice and time-lock, execution. Safe on several instances at once: each step is a
 * compare-and-set, and execution is idempotent by request id.
 */
final class ApprovalSweep implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(ApprovalSweep.class);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "custos-approval-sweep");
    t.setDaemon(true);
    return t;
  });

  ApprovalSweep(ApprovalDesk desk) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        ApprovalDesk.Sweep s = desk.sweep(200);
        if (s.expired() + s.locked() + s.executed() + s.failed() > 0) {
          log.info("approval sweep: {} expired, {} time-locked, {} executed, {} hand-offs failed", s.expired(),
              s.locked(), s.executed(), s.failed());
        }
      } catch (RuntimeException e) {
        log.warn("approval sweep failed: {}", e.toString());
      }
    }, EVERY.toSeconds(), EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
