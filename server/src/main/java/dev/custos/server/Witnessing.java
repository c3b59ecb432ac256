package dev.custos.server;

import dev.custos.ledger.ConsistencyProof;
import dev.custos.ledger.Cosignature;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.WitnessClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes every new checkpoint of the ledger to the configured witnesses (C2SP tlog-witness) and
 * keeps the cosignatures they return, so {@code /ledger/checkpoint} serves the checkpoint with its
 * witnesses' cosignatures (C2SP tlog-cosignature).
 *
 * <p>A witness refusing because it holds another tree for this log (a fork, or a rollback of the
 * ledger's files) is logged at ERROR and counted: it means someone may have rewritten history.
 * Unreachable witnesses are retried with backoff; they never block appends or publishing.
 */
final class Witnessing implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Witnessing.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Ledger ledger;
  private final InstantSource clock;
  private final List<Target> targets;
  private final Thread worker;
  private final HttpClient http;
  private volatile Served served;

  /** A checkpoint as published, and how many configured witnesses' cosignatures it carries. */
  record Served(SignedCheckpoint checkpoint, int cosignatures) {}

  /** One witness and what Custos knows of it. */
  private static final class Target {
    final WitnessTarget config;
    final WitnessClient client;
    final AtomicLong cosignedSize = new AtomicLong(-1);
    final MeterRegistry meters;
    final Counter failures;
    volatile long knownSize;
    volatile Optional<Cosignature> cosignature = Optional.empty();
    volatile SignedCheckpoint cosignedCheckpoint;
    volatile Instant lastCosignedAt;
    volatile String lastProblem;
    volatile Instant retryAfter = Instant.MIN;
    volatile Duration backoff = Duration.ofSeconds(1);

    Target(WitnessTarget config, HttpClient http, MeterRegistry meters) {
      this.config = config;
      this.client = WitnessClient.of(config.url(), config.key(), http, Duration.ofSeconds(10));
      Gauge.builder("custos.ledger.witness.cosigned.size", cosignedSize, AtomicLong::get)
          .description("The largest tree size this witness has cosigned (-1: none yet)")
          .tag("witness", config.key().name()).register(meters);
      this.meters = meters;
      this.failures = Counter.builder("custos.ledger.witness.failures")
          .description("Pushes that could not reach a witness").tag("witness", config.key().name()).register(meters);
    }
  }

  Witnessing(Ledger ledger, List<WitnessTarget> witnesses, InstantSource clock, MeterRegistry meters) {
    this.ledger = ledger;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.targets = witnesses.stream().map(w -> new Target(w, http, meters)).toList();
    this.served = new Served(ledger.latestCheckpoint(), 0);
    this.worker = Thread.ofVirtual().name("custos-witnessing").unstarted(this::run);
    if (!targets.isEmpty()) {
      worker.start();
    }
  }

  /**
   * The checkpoint to publish: the ledger's latest, with the cosignatures of every witness that
   * has cosigned exactly that checkpoint (usually within milliseconds of its publication).
   */
  Served served() {
    SignedCheckpoint latest = ledger.latestCheckpoint();
    Served s = served;
    return s.checkpoint().checkpoint().equals(latest.checkpoint()) ? s : new Served(latest, 0);
  }

  /** The configured witnesses' cosigner keys, in configuration order: what a reader of the checkpoint may trust. */
  List<dev.custos.ledger.NoteVerifier> keys() {
    return targets.stream().map(t -> t.config.key()).toList();
  }

  /**
   * {@code checkpoint} as served, with the cosignatures the witnesses have made of exactly it, when it
   * is the checkpoint being served; else as it is.
   */
  SignedCheckpoint cosigned(SignedCheckpoint checkpoint) {
    Served s = served();
    return s.checkpoint().checkpoint().equals(checkpoint.checkpoint()) ? s.checkpoint() : checkpoint;
  }

  int configured() {
    return targets.size();
  }

  /** What each witness has done, for {@code /v1/ledger/witnesses}. */
  List<Map<String, Object>> status() {
    return targets.stream().map(t -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", t.config.url().toString());
      m.put("key", t.config.key().encoded());
      m.put("cosignedSize", t.cosignedSize.get() < 0 ? null : t.cosignedSize.get());
      m.put("lastCosignedAt", t.lastCosignedAt == null ? null : t.lastCosignedAt.toString());
      m.put("lastProblem", t.lastProblem);
      return m;
    }).toList();
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        pushOnce();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A bug here must not silently stop witnessing for the life of the process.
        log.error("witnessing failed; retrying", e);
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Pushes the latest checkpoint to every witness that has not cosigned it yet. */
  void pushOnce() throws InterruptedException {
    SignedCheckpoint latest = ledger.latestCheckpoint();
    long size = latest.checkpoint().size();
    if (size == 0) {
      return;
    }
    boolean changed = false;
    for (Target t : targets) {
      SignedCheckpoint mine = t.cosignedCheckpoint;
      if (mine != null && mine.checkpoint().equals(latest.checkpoint())) {
        continue;
      }
      Instant now = clock.instant();
      if (now.isBefore(t.retryAfter)) {
        continue;
      }
      changed |= push(t, latest, now);
    }
    if (changed) {
      SignedCheckpoint merged = latest;
      int cosignatures = 0;
      for (Target t : targets) {
        SignedCheckpoint mine = t.cosignedCheckpoint;
        if (mine != null && mine.checkpoint().equals(latest.checkpoint()) && t.cosignature.isPresent()) {
          merged = merged.withCosignature(t.cosignature.get(), t.config.key());
          cosignatures++;
        }
      }
      served = new Served(merged, cosignatures);
    }
  }

  private boolean push(Target t, SignedCheckpoint latest, Instant now) throws InterruptedException {
    long size = latest.checkpoint().size();
    try {
      long from = Math.min(t.knownSize, size);
      ConsistencyProof proof = ledger.consistencyProof(from, size);
      WitnessClient.Result result = t.client.submit(latest, proof, ledger::consistencyProof);
      switch (result) {
        case WitnessClient.Cosigned c -> {
          t.knownSize = size;
          t.cosignature = Optional.of(c.cosignature());
          t.cosignedCheckpoint = latest;
          t.cosignedSize.set(size);
          t.lastCosignedAt = now;
          t.lastProblem = null;
          t.backoff = Duration.ofSeconds(1);
          return true;
        }
        case WitnessClient.Refused r -> {
          r.witnessSize().ifPresent(ws -> t.knownSize = ws);
          Counter.builder("custos.ledger.witness.refusals")
              .description("Checkpoints a witness refused, by problem (FORK_REFUSED or WITNESS_AHEAD: history rewritten?)")
              .tag("witness", t.config.key().name()).tag("problem", r.problem().name()).register(t.meters).increment();
          t.lastProblem = r.problem() + ": " + r.detail();
          if (r.problem() == WitnessClient.Problem.FORK_REFUSED || r.problem() == WitnessClient.Problem.WITNESS_AHEAD) {
            log.error("witness {} refuses checkpoint {} of size {}: {} ({}). It holds another tree for this log: "
                + "the ledger may have been forked or rolled back. Investigate before anything else.",
                t.config.key().name(), latest.checkpoint().origin(), size, r.problem(), r.detail());
          } else {
            log.warn("witness {} did not cosign size {}: {} ({})", t.config.key().name(), size, r.problem(), r.detail());
          }
          backOff(t, now);
          return false;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      t.failures.increment();
      t.lastProblem = "unreachable: " + Custos.rootMessage(e);
      log.warn("cannot push checkpoint of size {} to witness {} at {}: {}", size, t.config.key().name(),
          t.config.url(), Custos.rootMessage(e));
      backOff(t, now);
      return false;
    }
  }

  private static void backOff(Target t, Instant now) {
    t.retryAfter = now.plus(t.backoff);
    Duration next = t.backoff.multipliedBy(2);
    t.backoff = next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }

  /** Stops pushing; cosignatures already received stay in the witnesses' records. */
  @Override
  public void close() {
    if (!targets.isEmpty()) {
      worker.interrupt();
      try {
        worker.join(Duration.ofSeconds(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    http.close();
  }
}
