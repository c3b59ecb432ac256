package dev.custos.server;

import dev.custos.access.StaffId;
import dev.custos.incident.AccessIndex;
import dev.custos.incident.Scope;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.store.CommitmentDirectory;
import dev.custos.store.index.FileAccessIndex;
import dev.custos.store.index.LedgerIndexer;
import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The installation's access index ({@code <data>/index/}) kept current with its ledger, and the
 * customer directory that names the customers of a scope. The index follows the ledger's published
 * checkpoints (entries are readable from the tiles once integrated, within a second of being
 * durable): a background thread catches up every {@link #INTERVAL}, and every scope catches up
 * first, so a scope never misses an entry that was published before it was asked.
 */
final class AccessIndexing implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessIndexing.class);
  /** How often the background thread catches the index up. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final Ledger ledger;
  private final FileAccessIndex index;
  private final LedgerIndexer indexer;
  final CommitmentDirectory directory;
  private ScheduledExecutorService timer;

  AccessIndexing(Path dir, Ledger ledger, CommitmentDirectory directory) {
    this.ledger = ledger;
    this.index = FileAccessIndex.open(dir);
    this.indexer = new LedgerIndexer(index, ledger.reader());
    this.directory = directory;
  }

  /** Starts catching up in the background. */
  synchronized void start() {
    if (timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "custos-access-index");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        catchUp();
      } catch (LedgerException | RuntimeException e) {
        log.warn("access index: catching up with the ledger failed, will retry: {}", Custos.rootMessage(e));
      }
    }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Indexes the ledger up to its latest published checkpoint.
   *
   * @return the number of accesses added
   */
  long catchUp() throws LedgerException {
    return indexer.catchUp(ledger.latestCheckpoint().checkpoint().size());
  }

  /** The index (for attribution, the customer's access log and tests). */
  AccessIndex index() {
    return index;
  }

  /** How many access entries could not be read (logged at ERROR each). */
  long unreadable() {
    return indexer.unreadable();
  }

  /** A scope and the customers its commitments resolve to, computed after catching up. */
  record ScopeReport(Scope scope, Map<Commitment, CustomerId> customers) {}

  /** The scope of {@code staff} in {@code [from, to)}, from the index caught up with the ledger. */
  ScopeReport scope(Set<StaffId> staff, Instant from, Instant to) throws LedgerException {
    catchUp();
    Scope scope = Scope.of(index, staff, from, to);
    return new ScopeReport(scope, directory.resolveAll(scope.exposures().stream().map(e -> e.customer()).toList()));
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      // Not shutdownNow: interrupting a thread in file I/O closes the channel under it (ClosedByInterruptException).
      // A catch-up in progress finishes its batch; no new one starts.
      timer.shutdown();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    index.close();
  }
}
