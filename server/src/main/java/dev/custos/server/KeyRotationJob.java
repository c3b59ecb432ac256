package dev.custos.server;

import dev.custos.vault.KeyCensus;
import dev.custos.vault.RotationReport;
import dev.custos.vault.Vault;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vault's key rotation in the background of a running server, so keys rotate without
 * downtime: every {@code vault.rotation-interval} it rewraps, batch after batch, every keyset still
 * wrapped by an older key-encryption key under the primary (after {@code custos keys rotate-kek}
 * and a restart), and, when {@code vault.data-key-max-age} is set, gives customers whose data key is
 * older a new data key and re-encrypts their fields. Reads and writes go on meanwhile: each step is
 * a compare-and-set in the vault (docs/design/vault.md), so several instances may run it at once.
 *
 * <p>Progress is in the metrics {@code custos.vault.rotation.customers{kind}},
 * {@code custos.vault.rotation.fields}, {@code custos.vault.rotation.failed{kind}} and the gauges
 * {@code custos.vault.rotation.pending{kind}} (as of the last census), and in the log at INFO.
 */
final class KeyRotationJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KeyRotationJob.class);

  private final Vault vault;
  private final VaultSettings settings;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  private final Counter rewrapped;
  private final Counter rotated;
  private final Counter fields;
  private final Counter rewrapFailed;
  private final Counter rotateFailed;
  private final AtomicLong pendingRewrap = new AtomicLong();
  private final AtomicLong pendingRotation = new AtomicLong();

  KeyRotationJob(Vault vault, VaultSettings settings, MeterRegistry meters, InstantSource clock) {
    this.vault = vault;
    this.settings = settings;
    this.clock = clock;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("custos-key-rotation").factory());
    this.rewrapped = counter(meters, "custos.vault.rotation.customers", "rewrap", "Keysets rewrapped under the primary KEK");
    this.rotated = counter(meters, "custos.vault.rotation.customers", "data-keys", "Customers given a new data key");
    this.fields = Counter.builder("custos.vault.rotation.fields").description("Field ciphertexts re-encrypted")
        .register(meters);
    this.rewrapFailed = counter(meters, "custos.vault.rotation.failed", "rewrap", "Customers a rewrap could not finish");
    this.rotateFailed = counter(meters, "custos.vault.rotation.failed", "data-keys",
        "Customers a data-key rotation could not finish");
    Gauge.builder("custos.vault.rotation.pending", pendingRewrap, AtomicLong::get).tag("kind", "rewrap")
        .description("Keysets under an older KEK at the last census").register(meters);
    Gauge.builder("custos.vault.rotation.pending", pendingRotation, AtomicLong::get).tag("kind", "data-keys")
        .description("Customers whose data key is due or under rotation at the last census").register(meters);
  }

  private static Counter counter(MeterRegistry meters, String name, String kind, String description) {
    return Counter.builder(name).description(description).tag("kind", kind).register(meters);
  }

  /** Starts the schedule: a first run a few seconds after start, then every {@code vault.rotation-interval}. */
  void start() {
    scheduler.scheduleWithFixedDelay(this::runOnce, 5, Math.max(1, settings.rotationInterval().toSeconds()),
        TimeUnit.SECONDS);
  }

  /** One look for work and the work it finds; never throws (a scheduled task that throws is never run again). */
  void runOnce() {
    try {
      int primary = vault.kekIds().get(0);
      Optional<Instant> cutoff = settings.dataKeyMaxAge().map(age -> clock.instant().minus(age));
      KeyCensus census = vault.census(cutoff.orElse(Instant.EPOCH));
      pendingRewrap.set(census.wrappedByOtherThan(primary));
      pendingRotation.set(cutoff.isPresent() ? census.keysMadeBefore() + census.rotating() : census.rotating());
      if (census.wrappedByOtherThan(primary) > 0) {
        RotationReport r = batches("rewrap", vault::rewrapKeys, rewrapped, rewrapFailed);
        log.info("vault key rotation: {} keysets rewrapped under key-encryption key {} ({} could not be; {} were waiting)",
            r.customers(), primary, r.failed(), census.wrappedByOtherThan(primary));
      }
      if (census.rotating() > 0 || (cutoff.isPresent() && census.keysMadeBefore() > 0)) {
        Instant before = cutoff.orElse(Instant.EPOCH);
        RotationReport r = batches("data-keys", n -> vault.rotateDataKeys(before, n), rotated, rotateFailed);
        log.info("vault key rotation: {} customers given a new data key, {} fields re-encrypted ({} could not be)",
            r.customers(), r.fields(), r.failed());
      }
      KeyCensus after = vault.census(cutoff.orElse(Instant.EPOCH));
      pendingRewrap.set(after.wrappedByOtherThan(primary));
      pendingRotation.set(cutoff.isPresent() ? after.keysMadeBefore() + after.rotating() : after.rotating());
    } catch (RuntimeException e) {
      log.warn("vault key rotation failed, retried in {}: {}", settings.rotationInterval(), e.toString());
    }
  }

  /**
   * Batches until one finds nothing more or completes no customer (as {@link dev.custos.vault.VaultRotation}
   * does), or the job is stopped; counts each batch as it completes.
   */
  private RotationReport batches(String kind, IntFunction<RotationReport> batch, Counter customers, Counter failed) {
    RotationReport total = RotationReport.NONE;
    while (!Thread.currentThread().isInterrupted()) {
      RotationReport r = batch.apply(settings.rotationBatchSize());
      customers.increment(r.customers());
      fields.increment(r.fields());
      failed.increment(r.failed());
      total = total.plus(r);
      log.debug("vault key rotation ({}): batch of {} customers, {} fields, {} failed", kind, r.customers(), r.fields(),
          r.failed());
      if (!r.more() || r.customers() == 0) {
        break;
      }
    }
    return total;
  }

  /** Stops the schedule; a batch in progress finishes its customer (each step is atomic), then stops. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("vault key rotation still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long the schedule waits between looks. */
  Duration interval() {
    return settings.rotationInterval();
  }
}
