package dev.custos.store;

import static dev.custos.vault.VaultFixtures.freshCustomer;
import static dev.custos.vault.VaultFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.CustomerId;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.SearchKey;
import dev.custos.vault.TamperedRecordException;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import dev.custos.vault.VaultStore;
import dev.custos.vault.VaultStoreContract;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link VaultTable} against a real PostgreSQL (embedded, or CUSTOS_TEST_DB_URL). */
class VaultTableTest extends VaultStoreContract {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  /** Another instance each time, as another Custos process would build it. */
  @Override
  protected VaultStore instance() {
    return new VaultTable(db.dataSource());
  }

  private static void sql(String sql, String... params) throws Exception {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  @Test
  void tables_holdNoPlaintextValue() throws Exception {
    VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
    CustomerId c = freshCustomer();
    VaultFixtures.vault(instance(), ledger).put(c, record("Ada Lovelace", "ada.lovelace@example.com", "+442079460018"));

    for (String table : List.of("vault_customer", "vault_field", "vault_blind_index")) {
      try (Connection conn = db.dataSource().getConnection();
          PreparedStatement ps = conn.prepareStatement("SELECT encode(convert_to(t::text, 'UTF8'), 'escape') FROM "
              + table + " t WHERE customer = ?")) {
        ps.setString(1, c.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            assertThat(rs.getString(1)).doesNotContain("Lovelace", "ada.lovelace", "2079460018", "Baker", "NWBK");
          }
        }
      }
    }
  }

  @Test
  void ciphertextCopiedInSqlFromAnotherCustomer_isTampered() throws Exception {
    VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
    Vault vault = VaultFixtures.vault(instance(), ledger);
    Field email = new Field("email");
    CustomerId victim = freshCustomer();
    CustomerId insider = freshCustomer();
    vault.put(victim, Map.of(email, new FieldValue.Text("victim@example.com")));
    vault.put(insider, Map.of(email, new FieldValue.Text("insider@example.com")));

    sql("UPDATE vault_field SET ciphertext = (SELECT ciphertext FROM vault_field WHERE customer = ? AND field = 'email') "
        + "WHERE customer = ? AND field = 'email'", insider.value(), victim.value());

    assertThatThrownBy(() -> vault.open(ledger.durableReceipt(), victim, Set.of(email))).isInstanceOf(TamperedRecordException.class);
  }

  @Test
  void ciphertextMovedInSqlToAnotherField_isTampered() throws Exception {
    VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
    Vault vault = VaultFixtures.vault(instance(), ledger);
    CustomerId c = freshCustomer();
    vault.put(c, Map.of(new Field("email"), new FieldValue.Text("a@example.com"), new Field("phone"), new FieldValue.Text("+1555")));

    sql("UPDATE vault_field SET ciphertext = (SELECT ciphertext FROM vault_field WHERE customer = ? AND field = 'email') "
        + "WHERE customer = ? AND field = 'phone'", c.value(), c.value());

    assertThatThrownBy(() -> vault.open(ledger.durableReceipt(), c, Set.of(new Field("phone"))))
        .isInstanceOf(TamperedRecordException.class).hasMessageContaining("phone");
  }

  @Test
  void erasure_leavesOnlyATombstone() throws Exception {
    VaultFixtures.Ledger ledger = new VaultFixtures.Ledger();
    Vault vault = VaultFixtures.vault(instance(), ledger);
    CustomerId c = freshCustomer();
    vault.put(c, record("Ada", "erased@example.com", "+442079460018"));

    vault.erase(c);

    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT (SELECT count(*) FROM vault_field WHERE customer = ?) + "
            + "(SELECT count(*) FROM vault_blind_index WHERE customer = ?), (SELECT wrapped_keyset IS NULL AND sealed_salt IS NULL "
            + "AND erased_at IS NOT NULL FROM vault_customer WHERE customer = ?)")) {
      ps.setString(1, c.value());
      ps.setString(2, c.value());
      ps.setString(3, c.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
        assertThat(rs.getBoolean(2)).isTrue();
      }
    }
    assertThat(vault.find(SearchKey.EMAIL, "erased@example.com")).isEmpty();
  }

  @Test
  void databaseChecks_refuseMalformedRows() {
    CustomerId c = freshCustomer();
    assertThatThrownBy(() -> instance().write(List.of(new VaultStore.Create(c,
        new VaultStore.KeyMaterial(1, new byte[100], new byte[10], false, VaultFixtures.T), VaultFixtures.T, List.of(), Map.of()))))
        .isInstanceOf(StoreException.class);
    assertThat(instance().read(c, Set.of())).isEmpty();
  }

  @Test
  void unreachableDatabase_throws_forEveryMethod() {
    VaultStore down = new VaultTable(TestDatabases.unreachable());
    CustomerId c = new CustomerId("cust-17");
    VaultStore.KeyMaterial k = new VaultStore.KeyMaterial(1, new byte[64], new byte[65], false, Instant.EPOCH);
    List<ThrowingCallable> calls = List.of(
        () -> down.read(c, Set.of()),
        () -> down.write(List.of(new VaultStore.Update(c, 1, List.of(), Map.of()))),
        () -> down.find(SearchKey.EMAIL, new byte[32]),
        () -> down.erase(c, Instant.EPOCH),
        () -> down.replaceKeys(c, 1, k, OptionalInt.empty()),
        () -> down.reencrypt(c, 1, List.of()),
        () -> down.rotating(10),
        () -> down.keysMadeBefore(Instant.EPOCH, 10),
        () -> down.wrappedByOtherThan(1, 10));

    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot ");
    }
  }
}
