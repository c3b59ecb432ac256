package dev.custos.cli;

/** Bad usage or input found after parsing; exits 2 with its one-line message. */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message, null, false, false);
  }
}
