package dev.custos.store;

/** The database could not be started, reached or migrated. The message is free of credentials. */
public final class DatabaseException extends Exception {
  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
