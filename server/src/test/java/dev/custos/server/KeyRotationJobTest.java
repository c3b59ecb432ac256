package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.KeyCensus;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The server's background key rotation: rewraps after a new KEK and rotates old data keys while reads and writes go on. */
class KeyRotationJobTest {
  private static final Instant T = VaultFixtures.T;
  private static final Field EMAIL = new Field("email");
  private final InMemoryVaultStore store = new InMemoryVaultStore();
  private final VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Vault vault(dev.custos.vault.VaultKeys keys, Instant now) {
    return new Vault(store, FieldCatalogue.exchangeDefault(), keys, ledger.durable::get, InstantSource.fixed(now),
        new SecureRandom());
  }

  private Map<CustomerId, Map<Field, FieldValue>> stored(Vault vault, int n) {
    Map<CustomerId, Map<Field, FieldValue>> records = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      records.put(new CustomerId("cust-" + i), Map.of(EMAIL, new FieldValue.Text("c" + i + "@example.com")));
    }
    vault.putAll(records);
    return records;
  }

  @Test
  void afterANewKek_everyKeysetIsRewrapped_whileReadersAndWritersGoOn() throws Exception {
    Map<CustomerId, Map<Field, FieldValue>> records = stored(vault(VaultFixtures.keys(), T), 250);
    // The restarted server: the new KEK 2 primary, KEK 1 kept.
    Vault server = vault(VaultFixtures.rotatedKeys(), T);
    KeyRotationJob job = new KeyRotationJob(server, new VaultSettings(List.of(), Duration.ofHours(1), 7, Optional.empty()),
        meters, InstantSource.fixed(T));
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    ExecutorService others = Executors.newFixedThreadPool(3);
    try {
      List<Future<Integer>> reads = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        reads.add(others.submit(() -> {
          int n = 0;
          do {
            for (var e : records.entrySet()) {
              assertThat(server.open(ledger.durableReceipt(), e.getKey(), e.getValue().keySet()).values())
                  .isEqualTo(e.getValue());
              n++;
            }
          } while (!done.get());
          return n;
        }));
      }
      Future<?> writer = others.submit(() -> {
        do {
          int i = writes.getAndIncrement() % 250;
          server.put(new CustomerId("cust-" + i), Map.of(new Field("support_notes"), new FieldValue.Text("note " + i)));
        } while (!done.get());
      });
      job.runOnce();
      done.set(true);
      for (Future<Integer> f : reads) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
      }
      writer.get(60, TimeUnit.SECONDS);
    } finally {
      others.shutdownNow();
    }
    KeyCensus census = server.census(T);
    assertThat(census.byKek()).containsOnlyKeys(2).containsEntry(2, 250L);
    assertThat(meters.get("custos.vault.rotation.customers").tag("kind", "rewrap").counter().count()).isEqualTo(250);
    assertThat(meters.get("custos.vault.rotation.pending").tag("kind", "rewrap").gauge().value()).isZero();
    assertThat(writes.get()).isPositive();
    // Only the new KEK is needed now.
    Vault onlyNew = vault(dev.custos.vault.VaultKeys.of(List.of(new dev.custos.vault.KekVersion(2, VaultFixtures.KEK_2)),
        VaultFixtures.BLIND_INDEX_KEY), T);
    records.forEach((c, rec) -> assertThat(onlyNew.open(ledger.durableReceipt(), c, rec.keySet()).values()).isEqualTo(rec));
  }

  @Test
  void dataKeysOlderThanTheMaximumAge_areRotated_youngerOnesAreLeft() {
    stored(vault(VaultFixtures.keys(), T), 20);
    Vault later = vault(VaultFixtures.keys(), T.plus(Duration.ofDays(100)));
    Map<CustomerId, Map<Field, FieldValue>> young = new LinkedHashMap<>();
    young.put(new CustomerId("cust-young"), Map.of(EMAIL, new FieldValue.Text("young@example.com")));
    later.putAll(young);
    KeyRotationJob job = new KeyRotationJob(later,
        new VaultSettings(List.of(), Duration.ofHours(1), 6, Optional.of(Duration.ofDays(90))), meters,
        InstantSource.fixed(T.plus(Duration.ofDays(100))));

    assertThat(later.census(T.plus(Duration.ofDays(10))).keysMadeBefore()).isEqualTo(20);
    job.runOnce();

    assertThat(later.census(T.plus(Duration.ofDays(10))).keysMadeBefore()).isZero();
    assertThat(later.census(T.plus(Duration.ofDays(10))).rotating()).isZero();
    assertThat(meters.get("custos.vault.rotation.customers").tag("kind", "data-keys").counter().count()).isEqualTo(20);
    assertThat(meters.get("custos.vault.rotation.fields").counter().count()).isEqualTo(20);
  }

  @Test
  void withoutAMaximumAge_dataKeysAreLeftAlone() {
    stored(vault(VaultFixtures.keys(), T), 5);
    Vault later = vault(VaultFixtures.keys(), T.plus(Duration.ofDays(1000)));
    new KeyRotationJob(later, VaultSettings.defaults(), meters, InstantSource.fixed(T.plus(Duration.ofDays(1000))))
        .runOnce();
    assertThat(later.census(T.plus(Duration.ofDays(1))).keysMadeBefore()).isEqualTo(5);
  }
}
