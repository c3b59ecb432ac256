package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.AccessLedger;
import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.approval.ApprovalFixtures;
import dev.custos.incident.Access;
import dev.custos.incident.InMemoryIncidentStore;
import dev.custos.incident.InMemoryNotificationStore;
import dev.custos.incident.Incident;
import dev.custos.incident.IncidentDesk;
import dev.custos.incident.IncidentReads;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.incident.Notification;
import dev.custos.incident.NotificationState;
import dev.custos.ledger.Hash;
import dev.custos.ledger.Receipt;
import dev.custos.vault.Commitment;
import dev.custos.vault.Field;
import dev.custos.vault.FieldValue;
import dev.custos.vault.InMemoryVaultStore;
import dev.custos.vault.Vault;
import dev.custos.vault.VaultFixtures;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sender's state machine with a scripted mailer: retries after back-off, gives up after the
 * attempts, ends at once on a refused address, reads and sends nothing when the ledger is down, and
 * marks customers without an address or erased unreachable — each end recorded without PII.
 */
class NotifierTest {
  static final StaffId EVE = new StaffId("eve");
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
  final InMemoryIncidentStore incidents = new InMemoryIncidentStore();
  final InMemoryNotificationStore notifications = new InMemoryNotificationStore();
  final MemoryAccessIndex index = new MemoryAccessIndex();
  final IncidentDesk desk = new IncidentDesk(incidents, ledger, clock, new SplittableRandom(3));
  final List<String> sentTo = new ArrayList<>();
  final List<String> bodies = new ArrayList<>();
  final List<Mailer.Failure> script = new ArrayList<>();
  final Mailer mailer = (to, subject, body, messageId, at) -> {
    if (!script.isEmpty()) {
      throw script.remove(0);
    }
    sentTo.add(to);
    bodies.add(subject + "\n" + body);
  };
  Notifier notifier;

  Notifier notifier(int attempts) throws Exception {
    NotificationSettings settings = new NotificationSettings(Optional.of("127.0.0.1"), 2525,
        NotificationSettings.Tls.NONE, Optional.empty(), Optional.empty(), "security@exchange.example", "Example",
        Optional.empty(), "en", "language", Map.of("DE", "de"), attempts);
    IncidentReads reads = new IncidentReads(vault, ledger, clock, Notifier.readable(settings));
    notifier = new Notifier(notifications, desk, reads, index, mailer,
        NotificationTemplates.load(Path.of("no-such-directory"), "en"), settings, clock, new SplittableRandom(5),
        new SimpleMeterRegistry());
    return notifier;
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
  }

  /** A customer in the vault whom EVE saw (e-mail masked, phone in clear) within an open incident's window. */
  record Setup(Incident incident, CustomerId customer, Commitment commitment) {}

  Setup scoped(Map<Field, FieldValue> record) {
    CustomerId c = VaultFixtures.freshCustomer();
    vault.put(c, record);
    Commitment k = vault.commitment(c).orElseThrow();
    Instant at = clock.instant().minusSeconds(600);
    index.add(new Access(index.coveredSize(), at, EVE, "s-1", Action.VIEW, k, "ticket", Optional.of("T-1"),
        Map.of("email", "partial-email", "phone", "none")));
    Incident i = ((IncidentDesk.Result.Done) desk.open(new StaffId("sec"), "leak", "", Set.of(EVE),
        at.minusSeconds(60), clock.instant())).incident();
    notifications.enqueue(i.id(), Map.of(k, c), clock.instant());
    return new Setup(i, c, k);
  }

  Setup scoped() {
    return scoped(VaultFixtures.record("Ada Lovelace", "ada@example.com", "+44 20 7946 0018"));
  }

  NotificationState state(Setup s) {
    return notifications.list(s.incident().id()).get(0).state();
  }

  @Test
  void sent_once_sayingWhichDataAndWhatToDo_andRecordedWithoutTheAddress() throws Exception {
    Setup s = scoped();
    notifier(10).runOnce();
    notifier.runOnce();
    assertThat(sentTo).containsExactly("ada@example.com");
    assertThat(bodies.get(0)).contains("contact details", "phone number", "shown in full rather than masked",
        "hardware security key", s.incident().id().value());
    assertThat(state(s)).isEqualTo(NotificationState.SENT);
    assertThat(entries).anySatisfy(e -> assertThat(e).contains("\"event\":\"customers.read\"",
        "\"purpose\":\"notification\"", s.commitment().hex()));
    assertThat(entries).anySatisfy(e -> assertThat(e).contains("\"event\":\"notification.sent\"", "\"attempt\":1"));
    assertThat(entries).noneSatisfy(e -> assertThat(e).contains("ada@example.com"));
  }

  @Test
  void aTransientFailure_isRetriedOnlyAfterItsBackoff_thenSent() throws Exception {
    Setup s = scoped();
    script.add(new Mailer.Failure(Mailer.Failure.Kind.TRANSIENT, "smtp-unavailable"));
    notifier(10).runOnce();
    assertThat(state(s)).isEqualTo(NotificationState.RETRY);
    notifier.runOnce();
    assertThat(sentTo).isEmpty();
    clock.advance(Duration.ofSeconds(2));
    notifier.runOnce();
    assertThat(sentTo).containsExactly("ada@example.com");
    Notification n = notifications.list(s.incident().id()).get(0);
    assertThat(n.state()).isEqualTo(NotificationState.SENT);
    assertThat(n.attempts()).isEqualTo(2);
  }

  @Test
  void transientFailures_upToTheAttempts_endFailed() throws Exception {
    Setup s = scoped();
    for (int i = 0; i < 3; i++) {
      script.add(new Mailer.Failure(Mailer.Failure.Kind.TRANSIENT, "smtp-unavailable"));
    }
    notifier(2).runOnce();
    clock.advance(Duration.ofMinutes(10));
    notifier.runOnce();
    clock.advance(Duration.ofMinutes(10));
    notifier.runOnce();
    assertThat(state(s)).isEqualTo(NotificationState.FAILED);
    assertThat(sentTo).isEmpty();
    assertThat(entries).anySatisfy(e -> assertThat(e).contains("\"event\":\"notification.failed\"",
        "\"reason\":\"smtp-unavailable\""));
  }

  @Test
  void aRefusedAddress_endsFailedAtOnce() throws Exception {
    Setup s = scoped();
    script.add(new Mailer.Failure(Mailer.Failure.Kind.REJECTED, "smtp-rejected"));
    notifier(10).runOnce();
    assertThat(state(s)).isEqualTo(NotificationState.FAILED);
  }

  @Test
  void whenTheLedgerIsDown_nothingIsReadOrSent_andItIsRetried() throws Exception {
    Setup s = scoped();
    ledgerDown = true;
    notifier(10).runOnce();
    assertThat(sentTo).isEmpty();
    assertThat(state(s)).isEqualTo(NotificationState.RETRY);
    ledgerDown = false;
    clock.advance(Duration.ofSeconds(2));
    notifier.runOnce();
    assertThat(sentTo).containsExactly("ada@example.com");
  }

  @Test
  void aCustomerWithoutAnAddress_orErased_isUnreachable() throws Exception {
    Map<Field, FieldValue> noEmail = new java.util.LinkedHashMap<>(VaultFixtures.record("No Mail", "x@example.com",
        "+44 20 7946 0001"));
    noEmail.remove(new Field("email"));
    Setup without = scoped(noEmail);
    Setup erased = scoped();
    vault.erase(erased.customer());
    notifier(10).runOnce();
    assertThat(state(without)).isEqualTo(NotificationState.UNREACHABLE);
    assertThat(state(erased)).isEqualTo(NotificationState.UNREACHABLE);
    assertThat(notifications.list(erased.incident().id()).get(0).error()).contains("erased");
    assertThat(sentTo).isEmpty();
  }

  @Test
  void aGermanNational_getsTheGermanText() throws Exception {
    Map<Field, FieldValue> karl = new java.util.LinkedHashMap<>(VaultFixtures.record("Karl", "karl@example.de",
        "+49 30 1234567"));
    karl.put(new Field("nationality"), VaultFixtures.text("DE"));
    scoped(karl);
    notifier(10).runOnce();
    assertThat(bodies.get(0)).contains("Ihre persönlichen Daten", "Hardware-Sicherheitsschlüssel", "Kontaktdaten");
  }
}
