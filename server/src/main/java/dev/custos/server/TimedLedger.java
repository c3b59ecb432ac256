package dev.custos.server;

import dev.custos.access.AccessLedger;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.Receipt;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ledger as the access broker sees it: an append that either is durable within a bound or
 * fails. The append runs on its own virtual thread so that a stalled disk cannot hold a request
 * past the bound; if it completes later, the entry records an access that was refused.
 */
final class TimedLedger implements AccessLedger, AutoCloseable {
  private final Ledger ledger;
  private final Duration bound;
  private final ExecutorService appenders = Executors.newVirtualThreadPerTaskExecutor();

  TimedLedger(Ledger ledger, Duration bound) {
    if (bound.isNegative() || bound.isZero()) {
      throw new IllegalArgumentException("the ledger append bound must be positive");
    }
    this.ledger = ledger;
    this.bound = bound;
  }

  @Override
  public Receipt append(byte[] entry) throws Unavailable {
    Future<Receipt> pending = appenders.submit(() -> ledger.append(entry));
    try {
      return pending.get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new Unavailable("the ledger did not make the entry durable within " + bound.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof LedgerException ? cause.getMessage() : String.valueOf(cause);
      throw new Unavailable("the ledger refused the entry: " + why, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while waiting for the ledger", e);
    }
  }

  @Override
  public void close() {
    appenders.shutdownNow();
  }
}
