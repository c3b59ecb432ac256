package dev.custos.identity;

/**
 * Where authentication events go: the server records each in the ledger (durably, before the answer
 * that it concerns is given) and publishes it on the event bus for detection.
 */
@FunctionalInterface
public interface AuthEventSink {
  /**
   * Records {@code event}.
   *
   * @throws RuntimeException when it could not be recorded durably; a caller about to grant access
   *     MUST then refuse (fail closed)
   */
  void record(AuthEvent event);
}
