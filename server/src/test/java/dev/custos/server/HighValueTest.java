package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.store.DetectionFacts;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection's high-value flag: VIP tier or a large fiat-like balance, set by every way a record arrives. */
class HighValueTest {
  @TempDir
  Path temp;

  static Map<Field, FieldValue> record(String tier, String currency, String amount) {
    Map<Field, FieldValue> m = new LinkedHashMap<>();
    if (tier != null) {
      m.put(new Field("account_tier"), new FieldValue.Text(tier));
    }
    if (currency != null) {
      m.put(new Field("balances"), FieldValue.Entries.of(Map.of(currency, new FieldValue.Text(amount))));
    }
    m.put(new Field("name"), new FieldValue.Text("Someone"));
    return m;
  }

  @Test
  void vipTier_orALargeFiatLikeBalance_isHighValue_andNeitherFieldLeavesTheFlagAlone() {
    assertThat(HighValue.of(record("VIP", null, null))).contains(true);
    assertThat(HighValue.of(record("standard", "usdt", "100000"))).contains(true);
    assertThat(HighValue.of(record("standard", "EUR", "99999.99"))).contains(false);
    assertThat(HighValue.of(record(null, "BTC", "5000"))).as("not fiat-like").contains(false);
    assertThat(HighValue.of(record(null, "USD", "lots"))).as("not a number").contains(false);
    assertThat(HighValue.of(record(null, null, null))).isEmpty();
  }

  @Test
  void anOfflineImport_setsTheFlag_asTheApiDoes() throws Exception {
    CustosConfig config = ConfigLoader.load(Map.of("data", temp.resolve("data").toString()), Map.of(), null, temp);
    try (Administration admin = Administration.open(config, InstantSource.system(), RandomGenerator.getDefault())) {
      Map<CustomerId, Map<Field, FieldValue>> batch = new LinkedHashMap<>();
      batch.put(new CustomerId("cust-whale"), record("vip", null, null));
      batch.put(new CustomerId("cust-minnow"), record("standard", "USD", "12"));
      admin.importBatch(batch, "test");
      DetectionFacts facts = new DetectionFacts(admin.foundation().database.dataSource());
      assertThat(facts.highValue(new CustomerId("cust-whale"))).isTrue();
      assertThat(facts.highValue(new CustomerId("cust-minnow"))).isFalse();
    }
  }
}
