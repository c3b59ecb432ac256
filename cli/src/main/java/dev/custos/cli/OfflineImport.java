package dev.custos.cli;

import dev.custos.access.AccessLedger;
import dev.custos.access.CustomerId;
import dev.custos.access.Ingest;
import dev.custos.server.Administration;
import dev.custos.vault.ErasedCustomerException;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An import into a data directory while no server holds it: each batch is one vault transaction and
 * one {@code custos.ingest/v1} ledger entry, through {@link Administration#importBatch}.
 */
final class OfflineImport implements ImportTarget {
  private final Administration admin;
  private final String operator;
  private final String name;

  OfflineImport(Administration admin, String operator, String name) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.operator = Objects.requireNonNull(operator, "operator");
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean knows(Field field) {
    return admin.catalogue().contains(field);
  }

  @Override
  public Batch put(List<ImportRecord> batch) throws ImportStopped {
    List<LineResult> out = new ArrayList<>(batch.size());
    long entries = commit(batch, out);
    return new Batch(out, entries);
  }

  /**
   * Commits {@code part}; when the vault refuses it (a value it cannot store, an erased customer)
   * nothing of it was written, so each half is tried on its own: one bad record among 500 costs
   * about 2 log2(500) = 18 ledger entries instead of 500, and every good record lands.
   *
   * @return the ledger entries written
   */
  private long commit(List<ImportRecord> part, List<LineResult> out) throws ImportStopped {
    Map<CustomerId, Map<Field, FieldValue>> records = new LinkedHashMap<>();
    for (ImportRecord r : part) {
      records.put(r.id(), r.fields());
    }
    try {
      Ingest.Result result = admin.importBatch(records, operator);
      for (int i = 0; i < part.size(); i++) {
        out.add(new Stored(part.get(i).line(), result.results().get(i).outcome()));
      }
      return result.recorded() ? 1 : 0;
    } catch (IllegalArgumentException | ErasedCustomerException e) {
      if (part.size() == 1) {
        out.add(new Failed(part.get(0).line(), e instanceof ErasedCustomerException
            ? "customer " + part.get(0).id() + " was erased and stays erased" : Main.oneLine(e.getMessage())));
        return 0;
      }
      int half = part.size() / 2;
      return commit(part.subList(0, half), out) + commit(part.subList(half, part.size()), out);
    } catch (AccessLedger.Unavailable e) {
      throw new ImportStopped("a batch was written to the vault but the ledger did not record it ("
          + Main.oneLine(e.getMessage()) + ")", e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
