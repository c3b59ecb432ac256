package dev.custos.store;

/**
 * PostgreSQL failed while serving a port of the core (a connection lost, a constraint broken).
 * Unchecked because the ports are storage-neutral; callers fail closed on it.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
