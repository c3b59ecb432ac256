package dev.custos.detect;

import dev.custos.access.StaffId;
import java.time.Instant;
import java.util.Objects;

/**
 * An alert raised about a member of staff: what the detector assessed, the measure applied, and the
 * ledger entry that records it. The unit that is stored ({@code GET /v1/alerts}) and delivered to
 * security's tools ({@link AlertSink}: webhook, SIEM). Carries no customer data: the readings are
 * counts and rates, customers appear nowhere.
 *
 * @param id stable and unique (the idempotency key of every delivery)
 * @param assessment the detector's verdict with its explanation
 * @param ledgerIndex the ledger entry of the measure taken
 */
public record Alert(String id, Assessment assessment, long ledgerIndex) {
  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(assessment, "assessment");
    if (id.isBlank() || id.length() > 64) {
      throw new IllegalArgumentException("an alert id is 1 to 64 characters");
    }
  }

  public StaffId staff() {
    return assessment.staff();
  }

  public Instant raisedAt() {
    return assessment.at();
  }

  public Measure measure() {
    return assessment.measure();
  }
}
