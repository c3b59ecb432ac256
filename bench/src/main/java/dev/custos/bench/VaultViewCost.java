package dev.custos.bench;

import dev.custos.access.ChangeFeed;
import dev.custos.access.CustomerId;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The vault's share of one masked read as the server does it: the customer's record already in the
 * vault's read cache, {@link Vault#prepare} then {@link Vault.Prepared#open} of the 12 fields of a
 * typical record, each read on a new virtual thread (one per request, as Jetty runs them). Prints
 * the process CPU time and the bytes allocated per read; allocation does not depend on what else
 * runs on the machine, so it compares two builds even on a busy one. {@link VaultOpenBench} runs on
 * JMH's platform threads and so cannot show costs that come with a new thread (Tink's thread-local
 * {@code Cipher}, for one).
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp bench/target/benchmarks.jar dev.custos.bench.VaultViewCost 50000
 * </pre>
 */
public final class VaultViewCost {
  private VaultViewCost() {}

  public static void main(String[] args) throws Exception {
    int reads = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
    Vault vault = new Vault(new InMemoryVaultStore(), FieldCatalogue.exchangeDefault(), VaultFixtures.keys(),
        ledger.durable::get, InstantSource.system(), new SecureRandom(), Duration.ofMinutes(10), ChangeFeed.alone());
    Receipt receipt = ledger.durableReceipt();
    List<CustomerId> customers = new ArrayList<>();
    Set<Field> fields = Set.of();
    for (int i = 0; i < 1000; i++) {
      CustomerId c = new CustomerId("bench-" + i);
      Map<Field, FieldValue> r = VaultFixtures.record("Customer Number " + i, "customer" + i + "@example.com",
          "+44 20 7946 " + String.format(Locale.ROOT, "%04d", i));
      vault.put(c, r);
      customers.add(c);
      fields = r.keySet();
    }
    Set<Field> shown = fields;
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int round = 0; round < 4; round++) {
      long cpu0 = os.getProcessCpuTime();
      long bytes0 = threads.getTotalThreadAllocatedBytes();
      for (int i = 0; i < reads; i++) {
        CustomerId c = customers.get(i % customers.size());
        Thread.ofVirtual().start(() -> vault.prepare(c, shown).orElseThrow().open(receipt)).join();
      }
      long cpu = os.getProcessCpuTime() - cpu0;
      long bytes = threads.getTotalThreadAllocatedBytes() - bytes0;
      System.out.printf(Locale.ROOT, "round %d%s: %.1f µs CPU and %,.0f bytes allocated per read (%d fields)%n", round,
          round == 0 ? " (warm-up)" : "", cpu / 1e3 / reads, (double) bytes / reads, shown.size());
    }
  }
}
