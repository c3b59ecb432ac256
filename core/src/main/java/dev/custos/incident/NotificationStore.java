package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where notifications are kept, one per incident and customer, with the state machine of
 * {@link NotificationState}. Implementations MUST be safe for concurrent use by several senders
 * (in several processes): a notification is claimed by exactly one of them, and each mark applies
 * only to a notification in {@link NotificationState#SENDING}.
 */
public interface NotificationStore {
  /** Queues a pending notification for each customer not yet queued for the incident; how many were new. */
  int enqueue(IncidentId incident, Map<Commitment, CustomerId> customers, Instant at);

  /**
   * Claims up to {@code limit} notifications that are pending, or to retry with {@code nextAt <= now}:
   * each becomes {@code sending}, its attempts one more, and is returned so.
   */
  List<Notification> claim(Instant now, int limit);

  /** A claimed notification was accepted by the SMTP server; false if it was not {@code sending}. */
  boolean markSent(IncidentId incident, Commitment customer, Instant at);

  /** A claimed notification failed and is tried again at {@code nextAt}; false if it was not {@code sending}. */
  boolean markRetry(IncidentId incident, Commitment customer, Instant nextAt, String error, Instant at);

  /**
   * A claimed notification ends in {@code terminal} ({@code failed} or {@code unreachable}); false if it
   * was not {@code sending}.
   */
  boolean markEnded(IncidentId incident, Commitment customer, NotificationState terminal, String error, Instant at);

  /** Every notification claimed before {@code claimedBefore} and still {@code sending} becomes {@code uncertain}; how many. */
  int expireClaims(Instant claimedBefore, Instant at);

  /** How many of the incident's notifications are in each state (states with none absent). */
  Map<NotificationState, Integer> counts(IncidentId incident);

  /** The incident's notifications, in queueing order. */
  List<Notification> list(IncidentId incident);
}
