package dev.custos.cli;

import dev.custos.vault.Field;
import dev.custos.vault.PutResult;
import java.util.List;

/**
 * Where {@code custos import} writes: a data directory no server holds ({@link OfflineImport}), or
 * a running server over HTTP ({@link OnlineImport}).
 */
sealed interface ImportTarget extends AutoCloseable permits OfflineImport, OnlineImport {
  /** What a checkpoint is bound to, e.g. {@code data:/srv/custos-data} or {@code url:http://host:8080/}. */
  String name();

  /** Whether a field can be written; a target that cannot tell locally answers true and lets the server decide. */
  boolean knows(Field field);

  /**
   * Writes a batch: each record is stored or fails on its own, so one bad record never costs its
   * neighbours. Returns once everything stored is also recorded in the ledger.
   *
   * @throws ImportStopped when the target cannot go on (ledger, database or server unavailable,
   *     token refused); records of the batch may or may not have been written
   */
  Batch put(List<ImportRecord> batch) throws ImportStopped, InterruptedException;

  @Override
  void close();

  /** What became of one line. */
  sealed interface LineResult permits Stored, Failed {
    long line();
  }

  record Stored(long line, PutResult.Outcome outcome) implements LineResult {}

  /** @param why names the member and never quotes a value */
  record Failed(long line, String why) implements LineResult {}

  /** The lines of a batch in file order, and the ledger entries writing it took. */
  record Batch(List<LineResult> lines, long ledgerEntries) {
    public Batch {
      lines = List.copyOf(lines);
    }
  }

  /** The import cannot go on; the message says why and what to do. */
  final class ImportStopped extends Exception {
    ImportStopped(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
