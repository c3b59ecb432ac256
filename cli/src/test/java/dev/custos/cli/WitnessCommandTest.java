package dev.custos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.SignatureType;
import dev.custos.ledger.SignedCheckpoint;
import dev.custos.ledger.Witness;
import dev.custos.ledger.WitnessClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WitnessCommandTest {
  @TempDir
  Path temp;

  final NoteSigner logKey = NoteSigner.generate("test.example/log", new SecureRandom());

  /** {@code custos witness ...} as a child JVM on this test's class path; its output lines go to {@code lines}. */
  static Process custos(BlockingQueue<String> lines, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the child is gone
      }
    });
    return p;
  }

  /** Waits for the line starting with {@code prefix}, or fails with everything the child said. */
  static String await(Process p, BlockingQueue<String> lines, String prefix, List<String> seen) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(200, TimeUnit.MILLISECONDS);
      if (line != null) {
        seen.add(line);
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length());
        }
      } else if (!p.isAlive()) {
        break;
      }
    }
    p.destroyForcibly();
    throw new AssertionError("no line starting with '" + prefix + "' from custos witness:\n" + String.join("\n", seen));
  }

  @Test
  void witness_asAChildProcess_cosignsALedgerCheckpoint_stopsOnSigterm_andKeepsItsStateAcrossRestarts() throws Exception {
    Path data = temp.resolve("witness");
    try (Ledger ledger = Ledger.open(temp.resolve("ledger"), LedgerOptions.of(logKey).withPublishInterval(Duration.ZERO))) {
      ledger.append("first".getBytes(StandardCharsets.UTF_8));
      SignedCheckpoint one = ledger.publish();

      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      List<String> seen = new ArrayList<>();
      Process p = custos(lines, "witness", "--data", data.toString(), "--port", "0", "--name", "witness.test/cli",
          "--log", logKey.verifier().encoded());
      NoteVerifier witnessKey;
      try {
        witnessKey = NoteVerifier.parse(await(p, lines, "witness ", seen)).orThrow();
        URI url = URI.create(await(p, lines, "listening on ", seen));
        assertThat(witnessKey.type()).isEqualTo(SignatureType.COSIGNATURE_V1);
        assertThat(witnessKey.name()).isEqualTo("witness.test/cli");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");

        WitnessClient client = WitnessClient.of(url, witnessKey);
        WitnessClient.Result r = client.submit(one, ledger.consistencyProof(0, 1), ledger::consistencyProof);

        assertThat(r).isInstanceOfSatisfying(WitnessClient.Cosigned.class,
            c -> assertThat(c.checkpoint().cosignature(witnessKey)).contains(c.cosignature()));
      } finally {
        p.destroy();
      }
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join("\n", seen)).isZero();
      assertThat(Files.readString(data.resolve("logs.conf"))).contains(logKey.verifier().encoded());
      assertThat(Files.readString(data.resolve("witness.vkey")).strip()).isEqualTo(witnessKey.encoded());

      ledger.append("second".getBytes(StandardCharsets.UTF_8));
      SignedCheckpoint two = ledger.publish();
      lines.clear();
      seen.clear();
      Process again = custos(lines, "witness", "--data", data.toString(), "--port", "0");
      try {
        assertThat(await(again, lines, "witness ", seen)).isEqualTo(witnessKey.encoded());
        URI url = URI.create(await(again, lines, "listening on ", seen));
        WitnessClient.Result r = WitnessClient.of(url, witnessKey)
            .submit(two, ledger.consistencyProof(0, 2), ledger::consistencyProof);
        assertThat(r).isInstanceOf(WitnessClient.Cosigned.class);
      } finally {
        again.destroy();
      }
      assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(again.exitValue()).isZero();
    }
  }

  @Test
  void witness_withoutDataOrPort_exits2() {
    assertThat(MainTest.run("witness", "--port", "0").code()).isEqualTo(2);
    assertThat(MainTest.run("witness", "--data", temp.toString()).code()).isEqualTo(2);
  }

  @Test
  void witness_withPortOutOfRange_exits2_withOneLineNamingPort() {
    var r = MainTest.run("witness", "--data", temp.resolve("w").toString(), "--port", "70000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("--port").doesNotContain("Exception");
    assertThat(MainTest.run("witness", "--data", temp.resolve("w").toString(), "--port", "http").code()).isEqualTo(2);
  }

  @Test
  void witness_withMalformedLogKey_exits2_withOneLineNamingLog() {
    var r = MainTest.run("witness", "--data", temp.resolve("w").toString(), "--port", "0", "--log", "not-a-key");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("--log").doesNotContain("Exception");
    assertThat(temp.resolve("w")).doesNotExist();
  }

  @Test
  void witness_withAWitnessKeyAsLog_exits2() {
    String cosigner = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "w", new SecureRandom()).verifier().encoded();
    var r = MainTest.run("witness", "--data", temp.resolve("w").toString(), "--port", "0", "--log", cosigner);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--log").contains("cosignature/v1");
  }

  @Test
  void witness_withANameOtherThanItsKeys_exits2() throws Exception {
    Path data = temp.resolve("w");
    Witness.loadOrCreateKey(data, "witness.test/first", new SecureRandom());
    var r = MainTest.run("witness", "--data", data.toString(), "--port", "0", "--name", "witness.test/second");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().count()).isEqualTo(1);
    assertThat(r.err()).contains("--name").contains("witness.test/first");
  }

  @Test
  void witness_withAnInvalidName_exits2() {
    var r = MainTest.run("witness", "--data", temp.resolve("w").toString(), "--port", "0", "--name", "has+plus");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--name");
  }
}
