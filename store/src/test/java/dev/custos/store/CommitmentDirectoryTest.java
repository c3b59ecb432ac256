package dev.custos.store;

import static dev.custos.vault.VaultFixtures.freshCustomer;
import static dev.custos.vault.VaultFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.CustomerId;
import dev.custos.vault.Commitment;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CommitmentDirectoryTest {
  @RegisterExtension
  static final TestDatabases.PerClass db = new TestDatabases.PerClass();

  private final Vault vault = VaultFixtures.vault(new VaultTable(db.dataSource()), new VaultFixtures.Ledger());
  private final CommitmentDirectory directory = new CommitmentDirectory(db.dataSource(), vault::commitment,
      VaultFixtures.BLIND_INDEX_KEY);

  @Test
  void commitment_resolvesToItsCustomer_andBack() {
    CustomerId c = freshCustomer();
    vault.put(c, record("Ada Lovelace", "ada@example.com", "+442079460018"));
    Commitment commitment = vault.commitment(c).orElseThrow();
    assertThat(directory.resolve(commitment)).contains(c);
    assertThat(directory.commitment(c)).contains(commitment);
  }

  @Test
  void erasedCustomer_noLongerResolves_andItsTagIsGone() throws Exception {
    CustomerId c = freshCustomer();
    vault.put(c, record("Grace Hopper", "grace@example.com", "+12025550123"));
    Commitment commitment = vault.commitment(c).orElseThrow();
    assertThat(directory.resolve(commitment)).contains(c);
    vault.erase(c);
    assertThat(directory.resolve(commitment)).isEmpty();
    assertThat(directory.commitment(c)).isEmpty();
    assertThat(tag(c)).isNull();
  }

  @Test
  void databaseHoldsAKeyedTag_notTheCommitment() throws Exception {
    CustomerId c = freshCustomer();
    vault.put(c, record("Alan Turing", "alan@example.com", "+442079460019"));
    Commitment commitment = vault.commitment(c).orElseThrow();
    directory.catchUp();
    byte[] tag = tag(c);
    assertThat(tag).hasSize(32).isNotEqualTo(commitment.toByteArray());
    // Nowhere in the customer's row does the commitment appear.
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT encode(convert_to(t::text, 'UTF8'), 'escape') "
            + "FROM vault_customer t WHERE customer = ?")) {
      ps.setString(1, c.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(rs.getString(1)).doesNotContain(commitment.hex())
            .doesNotContain(HexFormat.of().formatHex(commitment.toByteArray()).substring(0, 16));
      }
    }
  }

  @Test
  void customersStoredBeforeTheDirectory_areTaggedOnFirstUse() {
    List<CustomerId> customers = List.of(freshCustomer(), freshCustomer(), freshCustomer());
    for (CustomerId c : customers) {
      vault.put(c, record("Someone", c.value() + "@example.com", "+12025550100"));
    }
    List<Commitment> commitments = customers.stream().map(c -> vault.commitment(c).orElseThrow()).toList();
    Map<Commitment, CustomerId> resolved = directory.resolveAll(commitments);
    for (int i = 0; i < customers.size(); i++) {
      assertThat(resolved).containsEntry(commitments.get(i), customers.get(i));
    }
    assertThat(directory.catchUp()).isZero();
  }

  @Test
  void unknownCommitment_doesNotResolve() {
    assertThat(directory.resolve(Commitment.fromBytes(new byte[32]))).isEmpty();
  }

  private static byte[] tag(CustomerId c) throws Exception {
    try (Connection conn = db.dataSource().getConnection();
        PreparedStatement ps = conn.prepareStatement("SELECT commitment_tag FROM vault_customer WHERE customer = ?")) {
      ps.setString(1, c.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBytes(1);
      }
    }
  }
}
