package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.access.AccessLedger;
import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.approval.ApprovalFixtures;
import dev.custos.incident.Access;
import dev.custos.incident.CustomerDirectory;
import dev.custos.incident.IncidentReads;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.ledger.Hash;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Commitment;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Names in a leaked sample, through the server's attribution with a real vault: matched only among
 * the customers seen, read under a recorded entry, refused past the bound, ambiguous when shared,
 * and never read when the ledger cannot record the read.
 */
class LeakAttributionNamesTest {
  static final StaffId EVE = new StaffId("eve");
  static final StaffId BOB = new StaffId("bob");
  final ApprovalFixtures.Clock clock = new ApprovalFixtures.Clock();
  final VaultFixtures.Ledger durability = new VaultFixtures.Ledger();
  final Vault vault = VaultFixtures.vault(new InMemoryVaultStore(), durability);
  final List<String> entries = new CopyOnWriteArrayList<>();
  volatile boolean ledgerDown;
  final AccessLedger ledger = entry -> {
    if (ledgerDown) {
      throw new AccessLedger.Unavailable("disk full", null);
    }
    entries.add(new String(entry, StandardCharsets.UTF_8));
    return new Receipt(durability.durable.getAndIncrement(), new Hash(new byte[32]));
  };
  final MemoryAccessIndex index = new MemoryAccessIndex();
  final Map<Commitment, CustomerId> customers = new HashMap<>();
  final CustomerDirectory directory = new CustomerDirectory() {
    @Override
    public Optional<CustomerId> resolve(Commitment commitment) {
      return Optional.ofNullable(customers.get(commitment));
    }

    @Override
    public Optional<Commitment> commitment(CustomerId customer) {
      return vault.commitment(customer);
    }
  };

  /** A customer named {@code name} in the vault, seen by {@code staff} (the name masked). */
  Commitment seen(String name, StaffId staff) {
    CustomerId c = VaultFixtures.freshCustomer();
    vault.put(c, VaultFixtures.record(name, c.value() + "@example.com", "+44 20 7946 0018"));
    Commitment k = vault.commitment(c).orElseThrow();
    customers.put(k, c);
    index.add(new Access(index.coveredSize(), clock.instant().minusSeconds(600), staff, "s-" + staff.value(), Action.VIEW,
        k, "ticket", Optional.of("T-1"), Map.of("name", "initial", "email", "partial-email")));
    index.cover(index.coveredSize() + 1);
    return k;
  }

  LeakAttribution attribution(int max) {
    IncidentReads reads = new IncidentReads(vault, ledger, clock, Set.of(LeakAttribution.NAME));
    return new LeakAttribution(() -> index, vault, Optional.empty(), ledger, clock,
        Optional.of(new LeakAttribution.Names(directory, reads, max)));
  }

  Map<String, Object> attribute(int max, String sample) throws Exception {
    return attribution(max).attribute("inc-n", "sec", new LeakAttribution.Request(sample, List.of(), Optional.empty(),
        Optional.empty(), 10));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> sample(Map<String, Object> d) {
    return (Map<String, Object>) d.get("sample");
  }

  @Test
  void aNameIsMatchedAmongTheCustomersSeen_afterAnEntryRecordingTheRead() throws Exception {
    seen("Ada Lovelace", EVE);
    seen("Bob Babbage", BOB);
    Map<String, Object> d = attribute(100, "name\nada LOVELACE\n");
    assertThat(sample(d)).containsEntry("matched", 1).containsEntry("matchedByName", 1);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> staff = (List<Map<String, Object>>) d.get("staff");
    assertThat(staff.get(0)).containsEntry("staff", "eve");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0)).contains("\"event\":\"customers.read\"", "\"purpose\":\"attribution\"",
        "\"fields\":[\"name\"]", "\"customers\":2", "\"incident\":\"inc-n\"").doesNotContain("Ada", "Lovelace", "Bob");
    assertThat(entries.get(1)).contains("\"event\":\"attributed\"", "\"matched_by_name\":1");
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> unresolved(Map<String, Object> d) {
    return (List<Map<String, Object>>) sample(d).get("unresolved");
  }

  @Test
  void aNameTwoSeenCustomersShare_isAmbiguous_andBlamesNobody() throws Exception {
    seen("John Smith", EVE);
    seen("Smith, John", BOB);
    seen("Ada Lovelace", EVE);
    Map<String, Object> d = attribute(100, "name\nJohn Smith\nAda Lovelace\n");
    assertThat(sample(d)).containsEntry("matched", 1);
    assertThat(unresolved(d)).singleElement().satisfies(u -> {
      assertThat(u).containsEntry("line", 2);
      assertThat(u.get("reason")).isEqualTo("2 customers seen in the window have this name; the record is ambiguous");
    });
  }

  @Test
  void pastTheBound_noNameIsRead_andTheRecordsSaySo() throws Exception {
    seen("Ada Lovelace", EVE);
    seen("Bob Babbage", BOB);
    Map<String, Object> d = attribute(1, "customer_id,name\n" + customers.values().iterator().next().value()
        + ",\n,Ada Lovelace\n");
    assertThat(sample(d)).containsEntry("matchedByName", 0);
    assertThat(unresolved(d)).singleElement().satisfies(u -> assertThat((String) u.get("reason"))
        .isEqualTo("names are matched among at most 1 customers seen in the window, and more were seen: narrow the "
            + "window (from, to)"));
    assertThat(entries).singleElement().asString().contains("\"event\":\"attributed\"")
        .doesNotContain("customers.read");
  }

  @Test
  void whenTheLedgerCannotRecordTheRead_nothingIsReadNorAnswered() {
    seen("Ada Lovelace", EVE);
    ledgerDown = true;
    assertThatThrownBy(() -> attribute(100, "name\nAda Lovelace\n")).isInstanceOf(AccessLedger.Unavailable.class)
        .hasMessageContaining("names read for attribution could not be recorded");
    assertThat(entries).isEmpty();
  }

  @Test
  void aSampleWithoutANameToMatch_readsNoName() throws Exception {
    seen("Ada Lovelace", EVE);
    attribute(100, "customer_id,name\n" + customers.values().iterator().next().value() + ",A. L***\n");
    assertThat(entries).singleElement().asString().contains("\"attributed\"").doesNotContain("customers.read");
  }
}
