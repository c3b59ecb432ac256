package dev.custos.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.AccessLedger;
import dev.custos.access.CustomerId;
import dev.custos.ledger.Hash;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Field;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentReadsTest {
  static final IncidentId INCIDENT = IncidentId.parse("inc-00000000000000b2");
  final VaultFixtures.Ledger durability = new VaultFixtures.Ledger();
  final Vault vault = VaultFixtures.vault(new InMemoryVaultStore(), durability);
  final List<String> entries = new ArrayList<>();
  boolean failing;
  /** Appends are durable at once: the durable size follows the entries. */
  final AccessLedger ledger = entry -> {
    if (failing) {
      throw new AccessLedger.Unavailable("disk full", null);
    }
    entries.add(new String(entry, StandardCharsets.UTF_8));
    long index = durability.durable.getAndIncrement();
    return new Receipt(index, new Hash(new byte[32]));
  };
  final IncidentReads reads = new IncidentReads(vault, ledger, java.time.InstantSource.fixed(VaultFixtures.T),
      Set.of(new Field("email"), new Field("nationality")));

  CustomerId stored(String email) {
    CustomerId c = VaultFixtures.freshCustomer();
    vault.put(c, VaultFixtures.record("Ada Lovelace", email, "+44 20 7946 0018"));
    return c;
  }

  @Test
  void read_ofOneCustomer_recordsTheirCommitmentBeforeReturningTheAddress() {
    CustomerId ada = stored("ada@example.com");
    IncidentReads.Outcome o = reads.read(INCIDENT, "custos.notifier", "notification", List.of(ada),
        Set.of(new Field("email")));
    assertThat(o).isInstanceOfSatisfying(IncidentReads.Outcome.Read.class, r ->
        assertThat(r.values()).containsEntry(ada, Map.of("email", "ada@example.com")));
    assertThat(entries).singleElement().satisfies(e -> assertThat(e)
        .contains("\"event\":\"customers.read\"", "\"purpose\":\"notification\"",
            "\"customer\":\"" + vault.commitment(ada).orElseThrow().hex() + "\"", "\"fields\":[\"email\"]")
        .doesNotContain("ada@example.com"));
  }

  @Test
  void read_ofSeveral_namesThemByCountAndDigest() {
    List<CustomerId> two = List.of(stored("a@example.com"), stored("b@example.com"));
    reads.read(INCIDENT, "sec-1", "scope", two, Set.of(new Field("email")));
    assertThat(entries).singleElement().satisfies(e -> assertThat(e).contains("\"customers\":2", "customers_sha256"));
  }

  @Test
  void read_whenTheLedgerFails_readsNothing() {
    CustomerId ada = stored("ada@example.com");
    failing = true;
    assertThat(reads.read(INCIDENT, "sec-1", "scope", List.of(ada), Set.of(new Field("email"))))
        .isInstanceOf(IncidentReads.Outcome.Unrecorded.class);
  }

  @Test
  void read_ofAFieldNotAllowed_isRefused() {
    assertThatThrownBy(() -> reads.read(INCIDENT, "sec-1", "scope", List.of(), Set.of(new Field("government_id"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(entries).isEmpty();
  }

  @Test
  void read_underAnAttributionsIncidentLabel_recordsTheLabel_andRefusesAMalformedOne() {
    CustomerId ada = stored("ada@example.com");
    assertThat(reads.read("-", "sec-1", "attribution", List.of(ada), Set.of(new Field("email"))))
        .isInstanceOf(IncidentReads.Outcome.Read.class);
    assertThat(entries).singleElement().asString().contains("\"incident\":\"-\"", "\"purpose\":\"attribution\"");
    assertThatThrownBy(() -> reads.read("inc 1\n", "sec-1", "attribution", List.of(ada), Set.of(new Field("email"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(entries).hasSize(1);
  }
}
