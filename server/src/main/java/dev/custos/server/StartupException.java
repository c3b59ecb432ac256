package dev.custos.server;

/** Custos could not start; the message says what, in one line, free of secrets. */
public final class StartupException extends Exception {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
