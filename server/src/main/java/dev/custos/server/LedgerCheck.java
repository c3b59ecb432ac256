package dev.custos.server;

import dev.custos.ledger.Checkpoint;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.TileReader;
import dev.custos.ledger.Verifier;
import dev.custos.ledger.VerifyResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's own "custos ledger verify", in the background: on start and then every
 * {@code interval} it runs the {@code ledger} module's {@link Verifier} over the ledger's tiles as
 * stored (every entry bundle re-hashed, every hash tile rebuilt and compared, the checkpoint's
 * signature and root checked) and, once a run was clean, also that the log still extends the
 * checkpoint of that run (a rollback or a rewritten history is a failure even if the new tiles are
 * self-consistent). One run at a time on one virtual thread, never on a request's path; the last
 * outcome is kept in memory for the console's ledger page.
 *
 * <p>The verifier reads the whole log (it is not incremental), so a run costs one read of the tiles:
 * linear in the ledger's size and bounded by it; the hourly default keeps that negligible.
 */
final class LedgerCheck implements AutoCloseable {
  static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(LedgerCheck.class);

  /**
   * One run's outcome.
   *
   * @param at when the run finished
   * @param size the checkpoint size verified; on a failure the size last verified clean (0 if none)
   * @param ok whether every tile, bundle and signature checked out
   * @param problem what was wrong (empty when ok)
   * @param took how long the run took
   */
  record Outcome(Instant at, long size, boolean ok, String problem, Duration took) {
    Outcome {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(took, "took");
    }
  }

  private final Supplier<TileReader> reader;
  private final NoteVerifier key;
  private final InstantSource clock;
  private final Duration interval;
  private final AtomicReference<Outcome> last = new AtomicReference<>();
  private final AtomicReference<Checkpoint> trusted = new AtomicReference<>();
  private final ScheduledExecutorService scheduler;

  /** As {@link #LedgerCheck(Supplier, NoteVerifier, InstantSource, Duration)}, with the gauges
   * {@code custos.ledger.verify.ok} (1 ok, 0 failed, NaN before the first run) and
   * {@code custos.ledger.verify.size} (the size last verified clean) registered in {@code meters}. */
  LedgerCheck(Supplier<TileReader> reader, NoteVerifier key, InstantSource clock, Duration interval, MeterRegistry meters) {
    this(reader, key, clock, interval);
    Gauge.builder("custos.ledger.verify.ok", last, o -> o.get() == null ? Double.NaN : o.get().ok() ? 1 : 0)
        .description("Whether the last background verify of the ledger's tiles was clean (1) or found a problem (0)")
        .register(meters);
    Gauge.builder("custos.ledger.verify.size", trusted, t -> t.get() == null ? 0 : t.get().size())
        .description("The ledger size last verified clean in the background").register(meters);
  }

  LedgerCheck(Supplier<TileReader> reader, NoteVerifier key, InstantSource clock, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    this.reader = reader;
    this.key = key;
    this.clock = clock;
    this.interval = interval;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("custos-ledger-verify").factory());
  }

  /** Runs once now (in the background) and then every interval. */
  void start() {
    scheduler.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The last run's outcome; empty until the first run finished. */
  Optional<Outcome> last() {
    return Optional.ofNullable(last.get());
  }

  /** One run, now, on the caller's thread (the scheduler's, or a test's); its outcome becomes {@link #last()}. */
  synchronized Outcome runOnce() {
    Instant started = clock.instant();
    long t0 = System.nanoTime();
    Outcome outcome;
    try {
      VerifyResult result = Verifier.verify(reader.get(), key, Optional.ofNullable(trusted.get()), (done, total) -> {});
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      outcome = switch (result) {
        case VerifyResult.Clean clean -> {
          trusted.set(clean.checkpoint());
          yield new Outcome(clock.instant(), clean.checkpoint().size(), true, "", took);
        }
        case VerifyResult.Failure failure -> new Outcome(clock.instant(), Optional.ofNullable(trusted.get())
            .map(Checkpoint::size).orElse(0L), false, failure.toString(), took);
      };
    } catch (LedgerException | RuntimeException e) {
      outcome = new Outcome(clock.instant(), 0, false, "the tiles could not be read: " + e.getMessage(),
          Duration.ofNanos(System.nanoTime() - t0));
    }
    if (outcome.ok()) {
      log.debug("ledger verified up to size {} in {} ms (started {})", outcome.size(), outcome.took().toMillis(), started);
    } else {
      log.error("ledger verify FAILED: {}", outcome.problem());
    }
    last.set(outcome);
    return outcome;
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (Throwable t) { // a scheduled task that throws is never run again
      log.error("ledger verify could not run", t);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
