package dev.custos.access;

import java.time.Instant;
import java.util.Optional;

/**
 * The reasons staff give for reveals and break-glass access. The ledger entry of the access holds
 * only the reason's SHA-256 (a reason is free text and may name a customer, and tiles are shared with
 * auditors); the text is kept here, keyed by the entry's ledger index, so an auditor can read it and
 * check it against the digest in the ledger.
 */
public interface ReasonStore {
  /**
   * Keeps {@code reason} for the ledger entry at {@code ledgerIndex}. Recording the same index
   * twice with the same text is a no-op; with another text it MUST fail.
   */
  void record(long ledgerIndex, StaffId staff, String reason, Instant at);

  /** The reason kept for the entry at {@code ledgerIndex}. */
  Optional<String> reason(long ledgerIndex);
}
