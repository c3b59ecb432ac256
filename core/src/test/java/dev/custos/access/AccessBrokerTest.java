package dev.custos.access;

import static dev.custos.access.AccessFixtures.AGENT;
import static dev.custos.access.AccessFixtures.GOOD_REASON;
import static dev.custos.access.AccessFixtures.OTHER_AGENT;
import static dev.custos.access.AccessFixtures.openTicket;
import static dev.custos.access.AccessFixtures.staff;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.ledger.Hash;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Field;
import dev.custos.vault.FieldCatalogue;
import dev.custos.vault.FieldValue;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.SearchKey;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccessBrokerTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  /** A ledger in memory that can be made to fail; every entry is durable once appended. */
  static final class MemoryLedger implements AccessLedger {
    final List<byte[]> entries = new CopyOnWriteArrayList<>();
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicLong durable = new AtomicLong();

    @Override
    public Receipt append(byte[] entry) throws Unavailable {
      if (failing.get()) {
        throw new Unavailable("the disk is full", null);
      }
      entries.add(entry);
      long index = entries.size() - 1;
      durable.set(index + 1);
      return new Receipt(index, new Hash(new byte[32]));
    }

    String last() {
      return new String(entries.get(entries.size() - 1), StandardCharsets.UTF_8);
    }
  }

  private final MemoryLedger ledger = new MemoryLedger();
  private final InMemoryVaultStore vaultStore = new InMemoryVaultStore();
  private final Vault vault = new Vault(vaultStore, FieldCatalogue.exchangeDefault(), VaultFixtures.keys(),
      ledger.durable::get, InstantSource.fixed(NOW), new SecureRandom());
  private final InMemoryTicketStore tickets = new InMemoryTicketStore();
  private final InMemoryBreakGlassStore breakGlass = new InMemoryBreakGlassStore();
  private final List<AccessEvent> events = new ArrayList<>();
  private final Map<Long, String> reasons = new java.util.concurrent.ConcurrentHashMap<>();
  private final ReasonStore reasonStore = new ReasonStore() {
    @Override
    public void record(long ledgerIndex, StaffId staff, String reason, Instant at) {
      reasons.put(ledgerIndex, reason);
    }

    @Override
    public Optional<String> reason(long ledgerIndex) {
      return Optional.ofNullable(reasons.get(ledgerIndex));
    }
  };
  private final AccessBroker broker = new AccessBroker(
      new AccessPolicy(FieldCatalogue.exchangeDefault(), PolicySettings.defaults()),
      new Guardrails(new InMemoryQuotaStore(), new QuotaSettings(0, 0, 2, 30, 3)), vault, tickets, new InMemoryCaseStore(),
      breakGlass, reasonStore, ledger, events::add, InstantSource.fixed(NOW));

  private final CustomerId ada = new CustomerId("cust-ada");
  private final CustomerId bob = new CustomerId("cust-bob");
  private final TicketId adasTicket = new TicketId("T-100");

  AccessBrokerTest() {
    vault.put(ada, VaultFixtures.record("Ada Lovelace", "ada.lovelace@example.com", "+44 20 7946 0018"));
    vault.put(bob, VaultFixtures.record("Bob Babbage", "bob@example.com", "+44 20 7946 0999"));
    tickets.upsertIfNewer(openTicket(adasTicket, ada, AGENT));
  }

  private static AccessBroker.Actor actor(StaffSubject s, Optional<Instant> mfaAt) {
    return new AccessBroker.Actor(s, "session-1", mfaAt);
  }

  private final AccessBroker.Actor agent = actor(staff(AGENT, Role.SUPPORT_L1), Optional.empty());

  @Test
  void view_onOwnOpenTicket_showsTheRoleMaskedFields_withTheIndexOfADurableEntry() {
    AccessBroker.Outcome outcome = broker.view(agent, ada, new Purpose.Ticket(adasTicket));

    assertThat(outcome).isInstanceOf(AccessBroker.Outcome.Shown.class);
    AccessBroker.Outcome.Shown shown = (AccessBroker.Outcome.Shown) outcome;
    assertThat(shown.ledgerIndex()).isEqualTo(0);
    assertThat(shown.values().get(new Field("email"))).isEqualTo(new FieldValue.Text("a•••@example.com"));
    assertThat(shown.values()).doesNotContainKey(new Field("government_id"));
    assertThat(ledger.last()).contains("\"decision\":\"permit\"").contains("\"email\":\"partial-email\"")
        .contains("\"kind\":\"custos.access/v1\"");
  }

  @Test
  void view_whenTheLedgerFails_disclosesNothing() {
    ledger.failing.set(true);

    AccessBroker.Outcome outcome = broker.view(agent, ada, new Purpose.Ticket(adasTicket));

    assertThat(outcome).isInstanceOf(AccessBroker.Outcome.Unrecorded.class);
    assertThat(events).isEmpty();
  }

  @Test
  void view_ofAnotherCustomerWithOwnTicket_looksExactlyLikeAMissingCustomer_andBothAreRecorded() {
    AccessBroker.Outcome other = broker.view(agent, bob, new Purpose.Ticket(adasTicket));
    AccessBroker.Outcome missing = broker.view(agent, new CustomerId("cust-nobody"), new Purpose.Ticket(adasTicket));

    assertThat(other).isInstanceOf(AccessBroker.Outcome.NotFound.class);
    assertThat(missing).isInstanceOf(AccessBroker.Outcome.NotFound.class);
    assertThat(ledger.entries).hasSize(2);
  }

  @Test
  void view_withoutPurpose_orOnAnotherAgentsTicket_isRefusedAndRecorded() {
    assertThat(broker.view(agent, ada, Purpose.NONE)).isInstanceOfSatisfying(AccessBroker.Outcome.Refused.class,
        r -> assertThat(r.deny().reason()).isEqualTo(DenyReason.NO_PURPOSE));
    AccessBroker.Actor other = actor(staff(OTHER_AGENT, Role.SUPPORT_L1), Optional.empty());
    assertThat(broker.view(other, ada, new Purpose.Ticket(adasTicket)))
        .isInstanceOfSatisfying(AccessBroker.Outcome.Refused.class,
            r -> assertThat(r.deny().reason()).isEqualTo(DenyReason.TICKET_NOT_ASSIGNED));
    assertThat(ledger.entries).hasSize(2);
    assertThat(ledger.last()).contains("\"deny\":\"ticket-not-assigned\"");
  }

  @Test
  void entries_nameCustomersOnlyByCommitment_andReasonsOnlyByDigest() {
    AccessBroker.Actor l2 = actor(staff(AGENT, Role.SUPPORT_L2), Optional.of(NOW.minusSeconds(30)));
    broker.view(l2, ada, new Purpose.Ticket(adasTicket));
    broker.reveal(l2, ada, new Purpose.Ticket(adasTicket), Set.of(new Field("phone")), GOOD_REASON);

    String commitment = vault.commitment(ada).orElseThrow().hex();
    for (byte[] e : ledger.entries) {
      String text = new String(e, StandardCharsets.UTF_8);
      assertThat(text).contains(commitment);
      // The commitment is random hex (a random salt): "7946" turns up in it about once in 1,000 runs,
      // so it is taken out before the phone number is looked for.
      assertThat(text.replace(commitment, "<commitment>")).doesNotContain("cust-ada").doesNotContain("ada.lovelace")
          .doesNotContain("7946").doesNotContain(GOOD_REASON);
    }
    assertThat(ledger.last()).contains("\"reason_sha256\":");
    assertThat(reasons).containsEntry(1L, GOOD_REASON);
  }

  @Test
  void reveal_withRecentSecondFactor_showsTheFieldUnmasked() {
    AccessBroker.Actor l2 = actor(staff(AGENT, Role.SUPPORT_L2), Optional.of(NOW.minusSeconds(30)));

    AccessBroker.Outcome outcome = broker.reveal(l2, ada, new Purpose.Ticket(adasTicket), Set.of(new Field("phone")),
        GOOD_REASON);

    assertThat(outcome).isInstanceOfSatisfying(AccessBroker.Outcome.Shown.class,
        s -> assertThat(s.values()).containsExactly(Map.entry(new Field("phone"), new FieldValue.Text("+44 20 7946 0018"))));
  }

  @Test
  void reveal_withoutRecentSecondFactor_isRefused_andNothingIsRecordedAsReason() {
    AccessBroker.Actor l2 = actor(staff(AGENT, Role.SUPPORT_L2), Optional.of(NOW.minus(Duration.ofHours(1))));

    AccessBroker.Outcome outcome = broker.reveal(l2, ada, new Purpose.Ticket(adasTicket), Set.of(new Field("phone")),
        GOOD_REASON);

    assertThat(outcome).isInstanceOfSatisfying(AccessBroker.Outcome.Refused.class,
        r -> assertThat(r.deny().reason()).isEqualTo(DenyReason.STEP_UP_REQUIRED));
    assertThat(reasons).isEmpty();
  }

  @Test
  void reveal_overTheHourlyQuota_isRefusedNamingTheQuota() {
    AccessBroker.Actor l2 = actor(staff(AGENT, Role.SUPPORT_L2), Optional.of(NOW.minusSeconds(30)));
    Set<Field> phone = Set.of(new Field("phone"));
    broker.reveal(l2, ada, new Purpose.Ticket(adasTicket), phone, GOOD_REASON);
    broker.reveal(l2, ada, new Purpose.Ticket(adasTicket), phone, GOOD_REASON);

    AccessBroker.Outcome third = broker.reveal(l2, ada, new Purpose.Ticket(adasTicket), phone, GOOD_REASON);

    assertThat(third).isInstanceOfSatisfying(AccessBroker.Outcome.Refused.class, r -> {
      assertThat(r.deny().reason()).isEqualTo(DenyReason.QUOTA_EXCEEDED);
      assertThat(r.deny().explanation()).contains(Guardrails.REVEALS);
    });
    assertThat(ledger.last()).contains("\"quota\":\"reveals-per-hour\"");
  }

  @Test
  void search_findsByNormalisedEmail_asMaskedStubs_recordingEachMatchByCommitment() {
    AccessBroker.SearchOutcome outcome = broker.search(agent, SearchKey.EMAIL, "  ADA.Lovelace@Example.com ");

    assertThat(outcome).isInstanceOfSatisfying(AccessBroker.SearchOutcome.Found.class, f -> {
      assertThat(f.matches()).extracting(AccessBroker.Match::customer).containsExactly(ada);
      assertThat(f.matches().get(0).values().toString()).doesNotContain("lovelace");
    });
    assertThat(ledger.last()).contains(vault.commitment(ada).orElseThrow().hex()).contains("\"matches\":1")
        .doesNotContain("lovelace");
  }

  @Test
  void breakGlass_byAnAllowedRole_showsMaskedData_andQueuesAReview() {
    AccessBroker.Actor fraud = actor(staff(AGENT, Role.FRAUD_ANALYST), Optional.empty());

    AccessBroker.Outcome outcome = broker.breakGlass(fraud, bob, "chargeback fraud ring investigation, case pending");

    assertThat(outcome).isInstanceOf(AccessBroker.Outcome.Shown.class);
    assertThat(breakGlass.pending(10)).hasSize(1);
    assertThat(events).extracting(AccessEvent::action).containsExactly(Action.BREAK_GLASS);
  }

  @Test
  void breakGlass_bySupportL1_isRefused_andQueuesNothing() {
    AccessBroker.Outcome outcome = broker.breakGlass(agent, bob, "customer on the phone is very upset today");

    assertThat(outcome).isInstanceOfSatisfying(AccessBroker.Outcome.Refused.class,
        r -> assertThat(r.deny().reason()).isEqualTo(DenyReason.BREAK_GLASS_NOT_ALLOWED));
    assertThat(breakGlass.pending(10)).isEmpty();
  }

  @Test
  void prepared_opensOnlyForADurableReceipt_andOnlyThePreparedFields() {
    Vault.Prepared prepared = vault.prepare(ada, Set.of(new Field("email"))).orElseThrow();
    assertThat(prepared.commitment()).isEqualTo(vault.commitment(ada).orElseThrow());
    assertThat(prepared.toString()).doesNotContain("lovelace");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> prepared.open(new Receipt(ledger.durable.get(),
        new Hash(new byte[32])))).isInstanceOf(dev.custos.vault.ReceiptNotDurableException.class);
    ledger.durable.set(5);
    assertThat(prepared.open(new Receipt(4, new Hash(new byte[32]))).values().keySet())
        .containsExactly(new Field("email"));
    assertThat(vault.prepare(new CustomerId("cust-nobody"), Set.of())).isEmpty();
  }
}
