package dev.custos.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.access.AccessLedger;
import dev.custos.access.Action;
import dev.custos.access.CustomerId;
import dev.custos.access.StaffId;
import dev.custos.incident.Access;
import dev.custos.incident.MemoryAccessIndex;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.Merkle;
import dev.custos.ledger.NoteSigner;
import dev.custos.vault.Commitment;
import dev.custos.vault.CommitmentSalt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogsTest {
  static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  static final CustomerId ADA = new CustomerId("cust-ada");
  static final CommitmentSalt SALT = CommitmentSalt.fromBytes(new byte[32]);
  static final Commitment MINE = Commitment.of(SALT, ADA);
  static final StaffId ALICE = new StaffId("alice");

  @TempDir
  Path dir;
  Ledger ledger;
  MemoryAccessIndex index;
  AttemptIndex attempts;
  boolean recorderDown;

  @BeforeEach
  void open() throws Exception {
    ledger = Ledger.open(dir, LedgerOptions.of(NoteSigner.generate("test.example/log", new SecureRandom()))
        .withPublishInterval(Duration.ZERO));
    index = new MemoryAccessIndex();
    attempts = new AttemptIndex();
  }

  @AfterEach
  void close() throws Exception {
    ledger.close();
  }

  AccessLogs logs() {
    AccessLedger recorder = entry -> {
      if (recorderDown) {
        throw new AccessLedger.Unavailable("down", null);
      }
      try {
        return ledger.append(entry);
      } catch (Exception e) {
        throw new AccessLedger.Unavailable("ledger", e);
      }
    };
    return new AccessLogs(ledger, index, attempts, size -> index.cover(size),
        c -> c.equals(ADA) ? Optional.of(SALT) : Optional.empty(), StaffPseudonyms.withKey(new byte[16]),
        s -> Optional.of("desk-1"), recorder, InstantSource.fixed(NOW));
  }

  long append(String text) throws Exception {
    return ledger.append(text.getBytes(StandardCharsets.UTF_8)).index();
  }

  @Test
  void accessesAndAttempts_belowTheCheckpoint_comeWithTheirBytesAndProofs_inLedgerOrder() throws Exception {
    long deny = append("deny-entry");
    long view = append("view-entry");
    index.add(new Access(view, NOW, ALICE, "s", Action.VIEW, MINE, "ticket", Optional.of("T-1"), Map.of("email", "email")));
    attempts.add(new Attempt(deny, NOW, ALICE, Action.VIEW, MINE, "ticket", Optional.of("T-1"), "ticket-not-assigned"));
    ledger.publish();
    long later = append("not yet in a checkpoint");
    index.add(new Access(later, NOW, ALICE, "s", Action.VIEW, MINE, "ticket", Optional.of("T-1"), Map.of()));

    AccessLog log = ((AccessLogs.Found) logs().read(ADA, Optional.empty())).log();
    assertThat(log.items()).extracting(AccessLogItem::ledgerIndex).containsExactly(deny, view);
    assertThat(log.items().get(0).permitted()).isFalse();
    assertThat(log.items().get(0).denyReason()).contains("ticket-not-assigned");
    assertThat(log.items().get(1).team()).contains("desk-1");
    assertThat(log.items().get(1).staff()).startsWith("Agent ").doesNotContain("alice");
    for (AccessLogItem i : log.items()) {
      assertThat(i.inclusion().verifies(Merkle.leafHash(i.entry()), log.checkpoint().checkpoint().rootHash())).isTrue();
    }
    assertThat(log.commitment()).isEqualTo(MINE);
    assertThat(log.toString()).doesNotContain("cust-ada");
  }

  @Test
  void reading_isRecorded_withTheCommitment_notTheId() throws Exception {
    append("x");
    ledger.publish();
    AccessLog log = ((AccessLogs.Found) logs().read(ADA, Optional.of(1L))).log();
    ledger.publish();
    String entry = new String(ledger.entry(log.readIndex()), StandardCharsets.UTF_8);
    assertThat(entry).contains("\"kind\":\"custos.transparency/v1\"").contains(MINE.hex()).contains("\"since\":1")
        .doesNotContain("cust-ada");
    assertThat(log.consistency()).isPresent();
  }

  @Test
  void unknownCustomer_isUnknown_andNothingIsRecorded() throws Exception {
    append("x");
    ledger.publish();
    assertThat(logs().read(new CustomerId("cust-nobody"), Optional.empty())).isInstanceOf(AccessLogs.UnknownCustomer.class);
    assertThat(ledger.durableSize()).isEqualTo(1);
  }

  @Test
  void sinceBeyondTheCheckpoint_orZero_isBad() throws Exception {
    append("x");
    ledger.publish();
    assertThat(logs().read(ADA, Optional.of(2L))).isEqualTo(new AccessLogs.BadSince(1));
    assertThat(logs().read(ADA, Optional.of(0L))).isEqualTo(new AccessLogs.BadSince(1));
  }

  @Test
  void aReadingThatCannotBeRecorded_handsNothingOut() throws Exception {
    append("x");
    ledger.publish();
    recorderDown = true;
    assertThat(logs().read(ADA, Optional.empty())).isInstanceOf(AccessLogs.LedgerUnavailable.class);
  }
}
