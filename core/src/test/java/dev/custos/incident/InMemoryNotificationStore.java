package dev.custos.incident;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link NotificationStore} in memory, for tests. */
public final class InMemoryNotificationStore implements NotificationStore {
  private record Key(IncidentId incident, Commitment customer) {}

  private final Map<Key, Notification> rows = new LinkedHashMap<>();
  private final Map<Key, Instant> claimedAt = new LinkedHashMap<>();

  @Override
  public synchronized int enqueue(IncidentId incident, Map<Commitment, CustomerId> customers, Instant at) {
    int added = 0;
    for (var e : customers.entrySet()) {
      Key k = new Key(incident, e.getKey());
      if (!rows.containsKey(k)) {
        rows.put(k, new Notification(incident, e.getKey(), e.getValue(), NotificationState.PENDING, 0, at,
            Optional.empty(), at));
        added++;
      }
    }
    return added;
  }

  @Override
  public synchronized List<Notification> claim(Instant now, int limit) {
    List<Notification> out = new ArrayList<>();
    for (var e : rows.entrySet()) {
      Notification n = e.getValue();
      if (out.size() < limit && (n.state() == NotificationState.PENDING || n.state() == NotificationState.RETRY)
          && !n.nextAt().isAfter(now)) {
        Notification claimed = new Notification(n.incident(), n.customer(), n.customerId(), NotificationState.SENDING,
            n.attempts() + 1, n.nextAt(), n.error(), now);
        e.setValue(claimed);
        claimedAt.put(e.getKey(), now);
        out.add(claimed);
      }
    }
    return out;
  }

  private boolean mark(IncidentId incident, Commitment customer, NotificationState to, Instant nextAt,
      Optional<String> error, Instant at) {
    Key k = new Key(incident, customer);
    Notification n = rows.get(k);
    if (n == null || n.state() != NotificationState.SENDING) {
      return false;
    }
    rows.put(k, new Notification(incident, customer, n.customerId(), to, n.attempts(), nextAt, error, at));
    return true;
  }

  @Override
  public synchronized boolean markSent(IncidentId incident, Commitment customer, Instant at) {
    return mark(incident, customer, NotificationState.SENT, at, Optional.empty(), at);
  }

  @Override
  public synchronized boolean markRetry(IncidentId incident, Commitment customer, Instant nextAt, String error,
      Instant at) {
    return mark(incident, customer, NotificationState.RETRY, nextAt, Optional.of(error), at);
  }

  @Override
  public synchronized boolean markEnded(IncidentId incident, Commitment customer, NotificationState terminal,
      String error, Instant at) {
    if (terminal != NotificationState.FAILED && terminal != NotificationState.UNREACHABLE) {
      throw new IllegalArgumentException("a notification ends failed or unreachable");
    }
    return mark(incident, customer, terminal, at, Optional.of(error), at);
  }

  @Override
  public synchronized int expireClaims(Instant claimedBefore, Instant at) {
    int n = 0;
    for (var e : rows.entrySet()) {
      Notification x = e.getValue();
      if (x.state() == NotificationState.SENDING && claimedAt.get(e.getKey()).isBefore(claimedBefore)) {
        e.setValue(new Notification(x.incident(), x.customer(), x.customerId(), NotificationState.UNCERTAIN,
            x.attempts(), x.nextAt(), Optional.of("claim-expired"), at));
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized Map<NotificationState, Integer> counts(IncidentId incident) {
    Map<NotificationState, Integer> counts = new EnumMap<>(NotificationState.class);
    rows.values().stream().filter(n -> n.incident().equals(incident)).forEach(n -> counts.merge(n.state(), 1, Integer::sum));
    return counts;
  }

  @Override
  public synchronized List<Notification> list(IncidentId incident) {
    return rows.values().stream().filter(n -> n.incident().equals(incident)).toList();
  }
}
