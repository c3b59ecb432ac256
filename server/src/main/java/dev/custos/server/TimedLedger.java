package dev.custos.server;

import dev.custos.access.AccessLedger;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.Receipt;
import java.time.Duration;

/**
 * The ledger as the access broker sees it: an append that either is durable within a bound or
 * fails. The request waits for its entry's group commit at most the bound ({@link Ledger#append(byte[],
 * Duration)}), so a stalled disk cannot hold it longer; if the entry becomes durable later, it records
 * an access that was refused.
 */
final class TimedLedger implements AccessLedger {
  private final Ledger ledger;
  private final Duration bound;

  TimedLedger(Ledger ledger, Duration bound) {
    if (bound.isNegative() || bound.isZero()) {
      throw new IllegalArgumentException("the ledger append bound must be positive");
    }
    this.ledger = ledger;
    this.bound = bound;
  }

  @Override
  public Receipt append(byte[] entry) throws Unavailable {
    try {
      return ledger.append(entry, bound);
    } catch (LedgerException e) {
      throw new Unavailable("the ledger did not record the entry: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new Unavailable("the ledger refused the entry: " + e, e);
    }
  }
}
