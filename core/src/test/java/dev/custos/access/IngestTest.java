package dev.custos.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.PutResult;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Ingest}: one entry per batch that changed something, none for an unchanged batch. */
class IngestTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private final AccessBrokerTest.MemoryLedger ledger = new AccessBrokerTest.MemoryLedger();
  private final Vault vault = new Vault(new InMemoryVaultStore(), FieldCatalogue.exchangeDefault(), VaultFixtures.keys(),
      ledger.durable::get, InstantSource.fixed(NOW), new SecureRandom());
  private final Ingest ingest = new Ingest(vault, ledger, InstantSource.fixed(NOW));

  private static Map<CustomerId, Map<Field, FieldValue>> batch(String email) {
    Map<CustomerId, Map<Field, FieldValue>> b = new LinkedHashMap<>();
    b.put(new CustomerId("cust-1"), Map.of(new Field("email"), new FieldValue.Text(email)));
    b.put(new CustomerId("cust-2"), Map.of(new Field("email"), new FieldValue.Text("two@example.com")));
    return b;
  }

  @Test
  void newBatch_writesOneEntry_namingTheChangedFieldsNotValues() throws Exception {
    Ingest.Result r = ingest.put("import", "cli:op", batch("one@example.com"));
    assertThat(r.recorded()).isTrue();
    assertThat(r.ledgerIndex()).hasValue(0);
    assertThat(ledger.entries).hasSize(1);
    assertThat(ledger.last()).contains("\"created\":2").contains("\"fields\":[\"email\"]")
        .doesNotContain("example.com").doesNotContain("cust-");
  }

  @Test
  void unchangedBatch_writesNoEntry() throws Exception {
    ingest.put("import", "cli:op", batch("one@example.com"));
    Ingest.Result again = ingest.put("import", "cli:op", batch("one@example.com"));
    assertThat(again.recorded()).isFalse();
    assertThat(again.ledgerIndex()).isEmpty();
    assertThat(again.count(PutResult.Outcome.UNCHANGED)).isEqualTo(2);
    assertThat(ledger.entries).as("still only the first batch's entry").hasSize(1);
  }

  @Test
  void batchWithOneChangedRecord_writesAnEntryForThatRecordOnly() throws Exception {
    ingest.put("import", "cli:op", batch("one@example.com"));
    Ingest.Result r = ingest.put("import", "cli:op", batch("uno@example.com"));
    assertThat(r.recorded()).isTrue();
    assertThat(ledger.entries).hasSize(2);
    assertThat(ledger.last()).contains("\"updated\":1").contains("\"unchanged\":1");
  }
}
