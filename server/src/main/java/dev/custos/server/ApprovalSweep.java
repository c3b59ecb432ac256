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

  private final Runnable once;

  ApprovalSweep(ApprovalDesk desk) {
    once = () -> {
      try {
        // A request locked in this pass with no time-lock is due at once: a second pass carries it out.
        for (int pass = 0; pass < 2; pass++) {
          ApprovalDesk.Sweep s = desk.sweep(200);
          if (s.expired() + s.locked() + s.executed() + s.failed() > 0) {
            log.info("approval sweep: {} expired, {} time-locked, {} executed, {} hand-offs failed", s.expired(),
                s.locked(), s.executed(), s.failed());
          }
          if (s.locked() == 0) {
            break;
          }
        }
      } catch (RuntimeException e) {
        log.warn("approval sweep failed: {}", e.toString());
      }
    };
    timer.scheduleWithFixedDelay(once, EVERY.toSeconds(), EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  /** Sweeps now, on the sweep's own thread (never two sweeps at once on one instance). */
  void nudge() {
    try {
      timer.execute(once);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the server is stopping
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
