package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerCommandTest {
  @TempDir
  Path temp;

  Path dir;
  NoteSigner signer;

  @BeforeEach
  void log() throws Exception {
    dir = temp.resolve("ledger");
    signer = NoteSigner.generate("test.example/log", new SecureRandom());
    try (Ledger ledger = Ledger.open(dir, LedgerOptions.of(signer).withPublishInterval(Duration.ZERO))) {
      for (int i = 0; i < 600; i++) {
        ledger.append(("entry " + i).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void verify_cleanLog_exits0() {
    var r = MainTest.run("ledger", "verify", "--dir", dir.toString(), "--vkey", signer.verifier().encoded());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("ok: 600 entries verified");
  }

  @Test
  void verify_afterAByteOfATileChanged_exits1_withTheFirstBadIndex() throws Exception {
    Path tile = dir.resolve("tile/0/001");
    byte[] b = Files.readAllBytes(tile);
    b[5 * 32] ^= 1; // leaf 256 + 5
    Files.write(tile, b);
    var r = MainTest.run("ledger", "verify", "--dir", dir.toString(), "--vkey", signer.verifier().encoded());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("FAILED").contains("index 261");
  }

  @Test
  void verify_withAnotherKey_exits1() {
    String other = NoteSigner.generate("test.example/log", new SecureRandom()).verifier().encoded();
    var r = MainTest.run("ledger", "verify", "--dir", dir.toString(), "--vkey", other);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("CHECKPOINT_SIGNATURE");
  }

  @Test
  void verify_withoutDirOrUrl_exits2() {
    assertThat(MainTest.run("ledger", "verify").code()).isEqualTo(2);
  }

  @Test
  void verify_withMalformedVkey_exits2_namingVkey() {
    var r = MainTest.run("ledger", "verify", "--dir", dir.toString(), "--vkey", "not-a-key");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--vkey");
  }

  @Test
  void proof_printsAVerifyingInclusionProof() {
    var r = MainTest.run("ledger", "proof", "--dir", dir.toString(), "--index", "300", "--vkey", signer.verifier().encoded());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("index 300 size 600").contains("ok: the proof verifies");
  }

  @Test
  void proof_withIndexBeyondTheTree_exits2() {
    var r = MainTest.run("ledger", "proof", "--dir", dir.toString(), "--index", "600", "--vkey", signer.verifier().encoded());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--index");
  }

  @Test
  void checkpoint_printsTheSignedNote() {
    var r = MainTest.run("ledger", "checkpoint", "--dir", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("test.example/log\n600\n").contains("\u2014 test.example/log ");
  }
}
