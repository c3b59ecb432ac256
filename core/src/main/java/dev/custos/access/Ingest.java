package dev.custos.access;

import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.PutResult;
import dev.custos.vault.Vault;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes customer records from the exchange's backend into the vault, a batch at a time, and
 * records each batch in the ledger as one {@value #KIND} entry naming the customers it created or
 * changed (by commitment) and the fields it changed (by name, never by value). Used by
 * {@code PUT /v1/customers/{id}} (a batch of one) and by {@code custos import}.
 *
 * <p>The vault write comes first so that a new customer has a commitment to be named by; if the
 * ledger then fails the write stands and the caller is told (503, or the import stops): a retry is
 * idempotent, and unchanged records are not rewritten.
 *
 * <p>A batch in which no record was created or changed writes nothing, to the vault or the ledger:
 * re-importing an unchanged file, or retrying a request that was stored, leaves the ledger as it
 * was. (A retry after a ledger failure that wrote the records therefore finds them unchanged and
 * writes no entry: the failed attempt's entry is missing from the ledger, which the caller was told
 * with a 503 or a stopped import.)
 */
public final class Ingest {
  /** The ledger entry kind of an ingested batch. */
  public static final String KIND = "custos.ingest/v1";
  /** The largest batch: its entry stays well inside the ledger's 65,535-byte limit. */
  public static final int MAX_BATCH = 500;

  /**
   * What one batch did, and the index of its ledger entry: empty when no record of the batch was
   * created or changed (no entry was written).
   */
  public record Result(OptionalLong ledgerIndex, List<PutResult> results) {
    public Result {
      Objects.requireNonNull(ledgerIndex, "ledgerIndex");
      results = List.copyOf(results);
    }

    /** Whether the batch wrote a ledger entry (some record was created or changed). */
    public boolean recorded() {
      return ledgerIndex.isPresent();
    }

    public long count(PutResult.Outcome outcome) {
      return results.stream().filter(r -> r.outcome() == outcome).count();
    }
  }

  private final Vault vault;
  private final AccessLedger ledger;
  private final InstantSource clock;

  public Ingest(Vault vault, AccessLedger ledger, InstantSource clock) {
    this.vault = Objects.requireNonNull(vault, "vault");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Puts every record of {@code batch} in one vault transaction, then records the batch if any
   * record of it was created or changed.
   *
   * @param source {@code api} or {@code import}
   * @param by who sent it: a service token's id, or {@code cli}
   * @throws IllegalArgumentException naming the customer and field of an invalid record; nothing written
   * @throws dev.custos.vault.ErasedCustomerException when a customer of the batch was erased; nothing written
   * @throws AccessLedger.Unavailable when the batch (written) could not be recorded
   */
  public Result put(String source, String by, Map<CustomerId, Map<Field, FieldValue>> batch)
      throws AccessLedger.Unavailable {
    if (batch.isEmpty() || batch.size() > MAX_BATCH) {
      throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " customers, not " + batch.size());
    }
    List<PutResult> results = vault.putAll(batch);
    TreeSet<String> changedFields = new TreeSet<>();
    List<String> commitments = new ArrayList<>();
    for (PutResult r : results) {
      if (r.outcome() != PutResult.Outcome.UNCHANGED) {
        r.changed().forEach(f -> changedFields.add(f.name()));
        vault.commitment(r.customer()).ifPresent(c -> commitments.add(c.hex()));
      }
    }
    if (results.stream().allMatch(r -> r.outcome() == PutResult.Outcome.UNCHANGED)) {
      return new Result(OptionalLong.empty(), results);
    }
    commitments.sort(null);
    Map<String, Object> e = new TreeMap<>();
    e.put("kind", KIND);
    e.put("at", clock.instant().toString());
    e.put("source", source);
    e.put("by", by);
    e.put("customers", (long) results.size());
    e.put("created", results.stream().filter(r -> r.outcome() == PutResult.Outcome.CREATED).count());
    e.put("updated", results.stream().filter(r -> r.outcome() == PutResult.Outcome.UPDATED).count());
    e.put("unchanged", results.stream().filter(r -> r.outcome() == PutResult.Outcome.UNCHANGED).count());
    e.put("changed", commitments);
    e.put("fields", List.copyOf(changedFields));
    return new Result(OptionalLong.of(ledger.append(CanonicalJson.encode(e)).index()), results);
  }
}
