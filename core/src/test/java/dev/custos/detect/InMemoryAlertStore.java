package dev.custos.detect;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link AlertStore} in memory, for tests and the fake side of the contract. */
public final class InMemoryAlertStore implements AlertStore {
  private final Map<String, TrackedAlert> alerts = new LinkedHashMap<>();

  @Override
  public synchronized void add(Alert alert) {
    alerts.putIfAbsent(alert.id(), TrackedAlert.raised(alert));
  }

  @Override
  public synchronized Optional<TrackedAlert> find(String id) {
    return Optional.ofNullable(alerts.get(id));
  }

  @Override
  public synchronized List<TrackedAlert> list(Optional<TrackedAlert.Status> status, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be between 1 and 1000");
    }
    List<TrackedAlert> out = new ArrayList<>(alerts.values().stream()
        .filter(a -> status.isEmpty() || a.status() == status.get()).toList());
    out.sort(Comparator.comparing((TrackedAlert a) -> a.alert().raisedAt()).thenComparing(a -> a.alert().ledgerIndex())
        .reversed());
    return List.copyOf(out.subList(0, Math.min(limit, out.size())));
  }

  @Override
  public synchronized boolean acknowledge(String id, StaffId by, Instant at) {
    TrackedAlert a = alerts.get(id);
    if (a == null || a.status() != TrackedAlert.Status.OPEN) {
      return false;
    }
    alerts.put(id, new TrackedAlert(a.alert(), TrackedAlert.Status.ACKNOWLEDGED, Optional.of(by), a.assignee(),
        a.verdict(), a.closedBy(), a.note(), at));
    return true;
  }

  @Override
  public synchronized boolean assign(String id, StaffId to, Instant at) {
    TrackedAlert a = alerts.get(id);
    if (a == null || a.status() == TrackedAlert.Status.CLOSED) {
      return false;
    }
    alerts.put(id, new TrackedAlert(a.alert(), a.status(), a.acknowledgedBy(), Optional.of(to), a.verdict(),
        a.closedBy(), a.note(), at));
    return true;
  }

  @Override
  public synchronized boolean close(String id, AlertVerdict verdict, String note, StaffId by, Instant at) {
    TrackedAlert a = alerts.get(id);
    if (a == null || a.status() == TrackedAlert.Status.CLOSED) {
      return false;
    }
    alerts.put(id, new TrackedAlert(a.alert(), TrackedAlert.Status.CLOSED, a.acknowledgedBy(), a.assignee(),
        Optional.of(verdict), Optional.of(by), note, at));
    return true;
  }
}
