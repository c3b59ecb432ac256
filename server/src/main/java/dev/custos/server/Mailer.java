package dev.custos.server;

import java.time.Instant;

/** Where a notification e-mail goes: SMTP in the server ({@link SmtpMailer}), a fake in tests. */
interface Mailer {
  /**
   * Sends one plain-text e-mail; returns once the server accepted it.
   *
   * @param messageId the Message-ID header, {@code <...>}
   * @throws Failure when it was not accepted
   */
  void send(String to, String subject, String body, String messageId, Instant at) throws Failure;

  /** Not accepted; {@code reason} is a class of failure, never a server's text. */
  final class Failure extends Exception {
    enum Kind {
      /** May pass later: connection, timeout, 4xx, authentication. */
      TRANSIENT,
      /** Will not pass: the address is invalid or refused for good (5xx). */
      REJECTED
    }

    private final Kind kind;
    private final String reason;

    Failure(Kind kind, String reason) {
      super(reason, null, false, false);
      this.kind = kind;
      this.reason = reason;
    }

    Kind kind() {
      return kind;
    }

    String reason() {
      return reason;
    }
  }
}
