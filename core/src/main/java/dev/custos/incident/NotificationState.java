package dev.custos.incident;

/**
 * Where one customer's notification for one incident stands. The sender claims a notification
 * (pending or retry to sending) before it reads the address and sends, and marks it afterwards;
 * a claim that is never marked (the process died between the SMTP server's acceptance and the
 * mark) becomes {@link #UNCERTAIN} and is never sent again by itself: at most once, and a
 * possible gap is said out loud rather than papered over with a second e-mail.
 */
public enum NotificationState {
  /** Queued, not tried yet. */
  PENDING("pending", false),
  /** Claimed by a sender, which is reading the address and sending. */
  SENDING("sending", false),
  /** Accepted by the SMTP server. */
  SENT("sent", true),
  /** An attempt failed; tried again after its back-off. */
  RETRY("retry", false),
  /** A claim expired without a mark: it may or may not have been sent; not retried automatically. */
  UNCERTAIN("uncertain", true),
  /** Given up: every attempt failed, or the server refused the address for good. */
  FAILED("failed", true),
  /** Nothing to send to: no e-mail address on record, or the customer was erased. */
  UNREACHABLE("unreachable", true);

  private final String wireName;
  private final boolean terminal;

  NotificationState(String wireName, boolean terminal) {
    this.wireName = wireName;
    this.terminal = terminal;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether the sender will never touch it again. */
  public boolean terminal() {
    return terminal;
  }

  public static NotificationState parse(String text) {
    for (NotificationState s : values()) {
      if (s.wireName.equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown notification state " + text);
  }
}
