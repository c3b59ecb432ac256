package dev.custos.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.TileReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background ledger verify: a clean log is "ok" with the size verified; a tampered tile or a rollback is reported. */
class LedgerCheckTest {
  static final NoteSigner SIGNER = NoteSigner.generate("custos.test/ledger-check", new SecureRandom());
  static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-21T12:00:00Z"));

  @TempDir
  Path dir;

  private void write(int from, int to) throws Exception {
    try (Ledger ledger = Ledger.open(dir, LedgerOptions.of(SIGNER).withPublishInterval(Duration.ZERO))) {
      List<byte[]> entries = new ArrayList<>();
      for (int i = from; i < to; i++) {
        entries.add(("{\"event\":" + i + "}").getBytes(StandardCharsets.UTF_8));
      }
      ledger.appendAll(entries);
    }
  }

  private LedgerCheck check() {
    return new LedgerCheck(() -> TileReader.ofDirectory(dir), SIGNER.verifier(), CLOCK, Duration.ofHours(1));
  }

  @Test
  void beforeTheFirstRun_thereIsNoResult_andACleanLogIsOkWithItsSize() throws Exception {
    write(0, 300);
    try (LedgerCheck check = check()) {
      assertThat(check.last()).isEmpty();
      LedgerCheck.Outcome o = check.runOnce();
      assertThat(o.ok()).as(o.problem()).isTrue();
      assertThat(o.size()).isEqualTo(300);
      assertThat(o.at()).isEqualTo(CLOCK.instant());
      assertThat(check.last()).contains(o);
    }
  }

  @Test
  void aTamperedTile_makesTheResultSaySo_andTheGaugeDropsToZero() throws Exception {
    write(0, 300);
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (LedgerCheck check = new LedgerCheck(() -> TileReader.ofDirectory(dir), SIGNER.verifier(), CLOCK,
        Duration.ofHours(1), meters)) {
      assertThat(meters.get("custos.ledger.verify.ok").gauge().value()).isNaN();
      assertThat(check.runOnce().ok()).isTrue();
      Path tile = dir.resolve("tile/0/001.p/44");
      byte[] b = Files.readAllBytes(tile);
      b[5] ^= 1;
      Files.write(tile, b);
      LedgerCheck.Outcome o = check.runOnce();
      assertThat(o.ok()).isFalse();
      assertThat(o.problem()).contains("tile/0/001.p/44");
      assertThat(o.size()).as("the size last verified clean").isEqualTo(300);
      assertThat(check.last()).contains(o);
      assertThat(meters.get("custos.ledger.verify.ok").gauge().value()).isZero();
      assertThat(meters.get("custos.ledger.verify.size").gauge().value()).isEqualTo(300);
    }
  }

  @Test
  void aLogRolledBackBelowTheLastCleanRun_isAFailure() throws Exception {
    write(0, 10);
    byte[] small = Files.readAllBytes(dir.resolve("checkpoint"));
    write(10, 20);
    try (LedgerCheck check = check()) {
      assertThat(check.runOnce().size()).isEqualTo(20);
      Files.write(dir.resolve("checkpoint"), small); // a validly signed but older checkpoint put back
      LedgerCheck.Outcome o = check.runOnce();
      assertThat(o.ok()).isFalse();
      assertThat(o.problem()).contains("ROLLBACK");
    }
  }

  @Test
  void aMissingLog_isAFailureNotAnException() throws Exception {
    Files.createDirectories(dir);
    try (LedgerCheck check = check()) {
      LedgerCheck.Outcome o = check.runOnce();
      assertThat(o.ok()).isFalse();
      assertThat(o.problem()).contains("CHECKPOINT_MISSING");
      assertThat(o.size()).isZero();
    }
  }
}
