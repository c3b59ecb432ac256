package dev.custos.server;

import dev.custos.detect.Alert;
import dev.custos.detect.AlertStore;
import dev.custos.detect.TrackedAlert;
import dev.custos.store.AlertDeliveryTable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One destination's {@link AlertOutbox.Journal} in the {@code alert_delivery} table, for one process ({@code owner}). */
final class DeliveryJournal implements AlertOutbox.Journal {
  private final AlertDeliveryTable table;
  private final AlertStore alerts;
  private final String sink;
  private final String owner;

  DeliveryJournal(AlertDeliveryTable table, AlertStore alerts, String sink, String owner) {
    this.table = Objects.requireNonNull(table, "table");
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  @Override
  public void enqueue(String alertId, Instant at) {
    table.enqueue(alertId, sink, owner, at);
  }

  @Override
  public void attempted(String alertId, int attempts, String error, Instant at) {
    table.attempted(alertId, sink, attempts, error, at);
  }

  @Override
  public void delivered(String alertId, int attempts, Instant at) {
    table.delivered(alertId, sink, attempts, at);
  }

  @Override
  public void failed(String alertId, int attempts, String error, Instant at) {
    table.failed(alertId, sink, attempts, error, at);
  }

  @Override
  public List<AlertDeliveryTable.Waiting> takeOver(Instant staleBefore, Instant at) {
    return table.takeOver(sink, owner, staleBefore, at);
  }

  @Override
  public void renew(Instant at) {
    table.renew(sink, owner, at);
  }

  @Override
  public void release() {
    table.release(sink, owner);
  }

  @Override
  public Optional<Alert> alert(String alertId) {
    return alerts.find(alertId).map(TrackedAlert::alert);
  }
}
