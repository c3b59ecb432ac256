package dev.custos.access;

import dev.custos.ledger.Receipt;

/**
 * Where the access broker records each decision before any data leaves: the installation's ledger,
 * behind a bound on how long the broker waits.
 */
public interface AccessLedger {
  /**
   * Appends {@code entry} durably.
   *
   * <p>Implementations MUST NOT return before the entry is durable, and MUST throw rather than
   * return when it cannot be made durable within their time bound. An entry that becomes durable
   * after the bound expired is harmless: it records an access that was then refused.
   *
   * @throws Unavailable when the entry is not durable within the bound (ledger failed, disk full,
   *     timed out); the caller then discloses nothing
   */
  Receipt append(byte[] entry) throws Unavailable;

  /** The ledger did not make an entry durable in time; nothing may be disclosed. */
  final class Unavailable extends Exception {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
