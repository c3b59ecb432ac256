package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.transparency.Attempt;
import dev.custos.vault.Commitment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refused attempts read from the ledger once, kept in attempts.log, resumed after a restart, torn tails cut. */
class LedgerAttemptFeedTest {
  static final NoteSigner SIGNER = NoteSigner.generate("custos.test/attempts", new SecureRandom());
  static final String ADA = "a".repeat(64);
  static final String BOB = "b".repeat(64);

  @TempDir
  Path dir;
  Path file;
  Ledger ledger;

  @BeforeEach
  void open() throws Exception {
    file = dir.resolve("attempts.log");
    ledger = Ledger.open(dir.resolve("ledger"), LedgerOptions.of(SIGNER).withPublishInterval(Duration.ZERO));
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      String decision = i % 100 == 7 ? "deny" : "permit";
      String customer = i % 2 == 0 ? ADA : BOB;
      entries.add(("{\"action\":\"view\",\"at\":\"2026-11-21T10:00:00Z\",\"customer\":\"" + customer + "\",\"decision\":\""
          + decision + "\",\"deny\":\"no-purpose\",\"fields\":{},\"kind\":\"custos.access/v1\",\"purpose\":{\"type\":\"none\"},"
          + "\"session\":\"s1\",\"staff\":\"mallory\"}").getBytes(StandardCharsets.UTF_8));
      if (i % 50 == 0) {
        entries.add("{\"kind\":\"custos.case/v1\",\"event\":\"open\"}".getBytes(StandardCharsets.UTF_8));
      }
    }
    ledger.appendAll(entries);
    ledger.publish();
  }

  @org.junit.jupiter.api.AfterEach
  void close() throws Exception {
    ledger.close();
  }

  private static List<Attempt> of(LedgerAttemptFeed feed, String customer) {
    List<Attempt> out = new ArrayList<>();
    feed.attempts.byCustomer(Commitment.parse(customer), out::add);
    return out;
  }

  @Test
  void refusedAttempts_areReadOnce_andANewFeedResumesFromTheFile() throws Exception {
    long size = ledger.latestCheckpoint().checkpoint().size();
    LedgerAttemptFeed first = new LedgerAttemptFeed(ledger, file);
    first.upTo(size);
    List<Attempt> bob = of(first, BOB);
    assertThat(bob).hasSize(6).allSatisfy(a -> assertThat(a.reason()).isEqualTo("no-purpose"));
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

    LedgerAttemptFeed restarted = new LedgerAttemptFeed(ledger, file);

    assertThat(restarted.read()).as("resumes where the last process stopped").isEqualTo(size);
    assertThat(of(restarted, BOB)).isEqualTo(bob);
    assertThat(of(restarted, ADA)).isEmpty();
  }

  @Test
  void aTornTailIsCut_andReadAgainFromTheLedger() throws Exception {
    long size = ledger.latestCheckpoint().checkpoint().size();
    LedgerAttemptFeed first = new LedgerAttemptFeed(ledger, file);
    first.upTo(size / 2);
    long good = Files.size(file);
    first.upTo(size);
    List<Attempt> all = of(first, BOB);
    // the second batch's "read" line torn off: its attempts are in the file, its end is not
    byte[] bytes = Files.readAllBytes(file);
    int cut = bytes.length - 4;
    Files.write(file, java.util.Arrays.copyOf(bytes, cut));
    Files.writeString(file, "{\"index\":9", StandardOpenOption.APPEND);

    LedgerAttemptFeed restarted = new LedgerAttemptFeed(ledger, file);

    assertThat(Files.size(file)).isEqualTo(good);
    assertThat(restarted.read()).isLessThan(size);
    restarted.upTo(size);
    assertThat(of(restarted, BOB)).as("no attempt lost, none twice").isEqualTo(all);
  }

  @Test
  void aFileAheadOfTheLedger_isReadAgainFromTheStart() throws Exception {
    Files.writeString(file, "{\"read\":100000}\n");

    LedgerAttemptFeed feed = new LedgerAttemptFeed(ledger, file);

    assertThat(feed.read()).isZero();
    feed.upTo(ledger.latestCheckpoint().checkpoint().size());
    assertThat(of(feed, BOB)).hasSize(6);
  }
}
