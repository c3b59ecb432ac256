package dev.custos.server;

import dev.custos.access.StaffId;
import dev.custos.detect.Alert;
import dev.custos.detect.Assessment;
import dev.custos.detect.Measure;
import dev.custos.detect.Reading;
import dev.custos.detect.Signal;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Alerts and waiting helpers for the delivery tests. */
final class AlertFixtures {
  static final Instant AT = Instant.parse("2026-11-21T10:15:30.123456Z");
  /** Short waits so retries happen within a test. */
  static final Backoff QUICK = new Backoff(Duration.ofMillis(5), Duration.ofMillis(40), 5);

  private AlertFixtures() {}

  static Alert alert(String id, Measure measure) {
    return new Alert(id, new Assessment(new StaffId("agent-7"), AT, measure, 12.5, List.of(
        new Reading(Signal.VOLUME, 180, 25, 30, 9.2),
        new Reading(Signal.NO_TICKET, 0.9, 0.05, 0.04, 6.5))), 42);
  }

  static double count(MeterRegistry meters, String sink, String outcome) {
    var c = meters.find("custos.alert.deliveries").tag("sink", sink).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  /** Waits (up to a generous bound, never asserting on time) until {@code condition} holds. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not reached within 20 s");
      }
      Thread.sleep(5);
    }
  }
}
