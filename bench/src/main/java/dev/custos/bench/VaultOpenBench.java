package dev.custos.bench;

import dev.custos.access.CustomerId;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Disclosed;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.PutResult;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The vault's own cost per record of {@value #FIELDS} typical fields (name, e-mail, phone, date of
 * birth, address, nationality, government id, bank account, balances, withdrawal addresses, tier,
 * KYC status), over the in-memory store so that no database time is in the figures:
 * <ul>
 *   <li>{@code open}: {@link Vault#open} of every field: unwrap the customer's keyset under the
 *       KEK, then AES-256-GCM decrypt and decode each field (what every staff view costs);</li>
 *   <li>{@code reimportUnchanged}: {@link Vault#put} of the same values again: unwrap, open the
 *       salt, one HMAC per field, no write (the idempotent re-import);</li>
 *   <li>{@code create}: {@link Vault#put} of a new customer: a new keyset and salt, wrap, encrypt
 *       each field, blind indexes (the CPU part of an import; one million is this times 10^6).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class VaultOpenBench {
  static final int CUSTOMERS = 1024;
  static final int FIELDS = 12;

  /** A vault holding {@value #CUSTOMERS} customers, and a durable receipt. */
  @State(Scope.Benchmark)
  public static class Vaults {
    Vault vault;
    final List<CustomerId> customers = new ArrayList<>();
    final List<Map<Field, FieldValue>> records = new ArrayList<>();
    Set<Field> fields;
    Receipt receipt;

    @Setup(Level.Trial)
    public void build() {
      VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
      vault = VaultFixtures.vault(new InMemoryVaultStore(), ledger);
      receipt = ledger.durableReceipt();
      for (int i = 0; i < CUSTOMERS; i++) {
        CustomerId c = new CustomerId("bench-" + i);
        Map<Field, FieldValue> r = VaultFixtures.record("Customer Number " + i, "customer" + i + "@example.com",
            "+44 20 7946 " + String.format("%04d", i));
        vault.put(c, r);
        customers.add(c);
        records.add(r);
      }
      fields = records.get(0).keySet();
      if (fields.size() != FIELDS) {
        throw new IllegalStateException("the typical record has " + fields.size() + " fields, expected " + FIELDS);
      }
    }
  }

  /** Which customer next; a counter for new ids. */
  @State(Scope.Thread)
  public static class Cursor {
    final SplittableRandom random = new SplittableRandom(42);
    long next;
  }

  @Benchmark
  public Disclosed open(Vaults v, Cursor cursor) {
    return v.vault.open(v.receipt, v.customers.get(cursor.random.nextInt(CUSTOMERS)), v.fields);
  }

  @Benchmark
  public PutResult reimportUnchanged(Vaults v, Cursor cursor) {
    int i = cursor.random.nextInt(CUSTOMERS);
    return v.vault.put(v.customers.get(i), v.records.get(i));
  }

  @Benchmark
  public PutResult create(Vaults v, Cursor cursor) {
    // New customers accumulate in memory; a 1 GiB heap holds far more than one measurement makes.
    return v.vault.put(new CustomerId("new-" + Thread.currentThread().threadId() + "-" + cursor.next++),
        v.records.get(cursor.random.nextInt(CUSTOMERS)));
  }
}
