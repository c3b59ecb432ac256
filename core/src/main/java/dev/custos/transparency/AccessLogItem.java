package dev.custos.transparency;

import dev.custos.ledger.InclusionProof;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a customer's access log: what the page shows (staff pseudonym, team, purpose, action,
 * fields, time, permitted or refused) and what lets the customer check it (the entry's exact bytes,
 * whose leaf hash the inclusion proof ties to the signed checkpoint).
 *
 * @param staff the staff pseudonym ({@link StaffPseudonyms}), never the staff id
 * @param team the person's team when Custos knows it
 * @param fields field name to the mask it was shown with ({@code none}: revealed); empty for an attempt
 * @param denyReason the deny reason's wire name, for a refused attempt
 * @param entry the ledger entry, byte for byte (it names the staff id: see docs/transparency.md)
 */
public record AccessLogItem(long ledgerIndex, Instant at, String staff, Optional<String> team, String action,
    String purposeType, Optional<String> purposeId, Map<String, String> fields, boolean permitted,
    Optional<String> denyReason, byte[] entry, InclusionProof inclusion) {
  public AccessLogItem {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(staff, "staff");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(purposeType, "purposeType");
    Objects.requireNonNull(purposeId, "purposeId");
    fields = Map.copyOf(fields);
    Objects.requireNonNull(denyReason, "denyReason");
    entry = entry.clone();
    Objects.requireNonNull(inclusion, "inclusion");
  }

  @Override
  public byte[] entry() {
    return entry.clone();
  }
}
