package dev.custos.cli;

import dev.custos.vault.PutResult;

/**
 * What an import has done so far: customers created, updated and unchanged, lines that failed,
 * and ledger entries written.
 */
record ImportCounts(long created, long updated, long unchanged, long failed, long ledgerEntries) {
  static final ImportCounts ZERO = new ImportCounts(0, 0, 0, 0, 0);

  ImportCounts {
    if (created < 0 || updated < 0 || unchanged < 0 || failed < 0 || ledgerEntries < 0) {
      throw new IllegalArgumentException("counts are non-negative: created=" + created + ", updated=" + updated
          + ", unchanged=" + unchanged + ", failed=" + failed + ", ledgerEntries=" + ledgerEntries);
    }
  }

  ImportCounts plus(PutResult.Outcome outcome) {
    return switch (outcome) {
      case CREATED -> new ImportCounts(created + 1, updated, unchanged, failed, ledgerEntries);
      case UPDATED -> new ImportCounts(created, updated + 1, unchanged, failed, ledgerEntries);
      case UNCHANGED -> new ImportCounts(created, updated, unchanged + 1, failed, ledgerEntries);
    };
  }

  ImportCounts plusFailed() {
    return new ImportCounts(created, updated, unchanged, failed + 1, ledgerEntries);
  }

  ImportCounts plusLedgerEntries(long n) {
    return new ImportCounts(created, updated, unchanged, failed, ledgerEntries + n);
  }

  /** The lines that became customers (created, updated or unchanged). */
  long stored() {
    return created + updated + unchanged;
  }
}
