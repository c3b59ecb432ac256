package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety end to end: a child JVM appends from many threads and is killed with SIGKILL at a
 * random moment; after each restart every acknowledged index MUST hold exactly its entry and the
 * log MUST verify. The number of kills is {@code -Dcustos.ledger.killLoops=N} (default 30).
 */
class KillNineTest {

    @TempDir
    Path tmp;

    @Test
    void killDashNine_atRandomMoments_neverLosesAcknowledgedEntries() throws Exception {
        int loops = Integer.getInteger("custos.ledger.killLoops", 30);
        Path dir = tmp.resolve("ledger");
        Path keyFile = tmp.resolve("ledger.key");
        NoteSigner signer = NoteSigner.loadOrCreate(keyFile, "custos.test/kill", new SecureRandom());
        LedgerOptions options = LedgerOptions.of(signer).withPublishInterval(java.time.Duration.ZERO);
        Random random = new Random(Long.getLong("custos.ledger.killSeed", System.nanoTime()));
        Map<Long, byte[]> acked = new HashMap<>();
        Checkpoint trusted = null;
        int recycledSeen = 0;
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int run = 0; run < loops; run++) {
            Path stderr = tmp.resolve("child-" + run + ".err");
            Process child = new ProcessBuilder(javaBin, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
                    "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString(), keyFile.toString(), "8", Integer.toString(run))
                    .redirectError(stderr.toFile())
                    .start();
            List<String> lines = new CopyOnWriteArrayList<>();
            CountDownLatch ready = new CountDownLatch(1);
            Thread pump = Thread.ofPlatform().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("ready")) {
                            ready.countDown();
                        } else {
                            lines.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the pipe breaks when the child is killed
                }
            });
            if (!ready.await(60, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
                fail("child did not start: " + Files.readString(stderr));
            }
            if (run == 0) {
                // another process holds the directory: opening it here MUST be refused
                assertThatThrownBy(() -> Ledger.open(dir, options))
                        .isInstanceOf(LedgerException.class).hasMessageContaining("in use");
            }
            Thread.sleep(random.nextInt(10, 400));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            pump.join();
            for (String line : lines) {
                if (line.startsWith("error ")) {
                    fail("child reported " + line);
                }
                String[] f = line.split(" ");
                if (f.length == 4 && f[0].equals("ack") && f[3].equals(".")) {
                    byte[] entry = HexFormat.of().parseHex(f[2]);
                    byte[] before = acked.put(Long.parseLong(f[1]), entry);
                    if (before != null && !Arrays.equals(before, entry)) {
                        fail("index " + f[1] + " acknowledged twice with different entries");
                    }
                }
            }
            // The last checkpoint the killed child published MUST NOT cover anything a crash could lose:
            // the reopened log has to extend it.
            Checkpoint publishedByChild = trusted;
            if (Files.exists(dir.resolve("checkpoint"))) {
                publishedByChild = SignedCheckpoint.parse(Files.readAllBytes(dir.resolve("checkpoint")), signer.verifier())
                        .orThrow().checkpoint();
            }
            recycledSeen += recycledSegments(dir);
            try (Ledger ledger = Ledger.open(dir, options)) {
                Checkpoint cp = ledger.latestCheckpoint().checkpoint();
                if (publishedByChild != null) {
                    assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey(), Optional.of(publishedByChild),
                            (a, b) -> {})).as("run %d extends the child's last checkpoint", run).isInstanceOf(VerifyResult.Clean.class);
                }
                long size = cp.size();
                for (var e : acked.entrySet()) {
                    assertThat(e.getKey()).as("acknowledged index after run %d", run).isLessThan(size);
                }
                checkEntries(ledger.reader(), size, acked);
                VerifyResult v = Verifier.verify(ledger.reader(), ledger.verifierKey(),
                        Optional.ofNullable(trusted), (a, b) -> {});
                assertThat(v).as("run %d", run).isInstanceOf(VerifyResult.Clean.class);
                trusted = cp;
            }
        }
        System.err.println("KillNineTest: " + loops + " kills, " + acked.size() + " acknowledged entries checked, "
                + recycledSeen + " recycled WAL segments found after a kill");
        assertThat(acked).isNotEmpty();
        if (loops >= 50) {
            assertThat(recycledSeen).as("kills that left recycled WAL segments behind").isPositive();
        }
    }

    /** WAL segments made from a recycled one (their stale remainders are what recovery must not read). */
    private static int recycledSegments(Path dir) throws java.io.IOException {
        int n = 0;
        try (var s = Files.list(dir.resolve("wal"))) {
            for (Path p : s.filter(f -> f.toString().endsWith(".wal")).toList()) {
                byte[] head = new byte[Wal.HEADER_SIZE];
                try (var in = Files.newInputStream(p)) {
                    if (in.readNBytes(head, 0, head.length) == head.length && head[Wal.RECYCLED_FLAG_OFFSET] == 1) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static void checkEntries(TileReader reader, long size, Map<Long, byte[]> acked) throws LedgerException {
        Map<Long, List<byte[]>> bundles = new HashMap<>();
        for (var e : acked.entrySet()) {
            long b = e.getKey() / 256;
            List<byte[]> bundle = bundles.computeIfAbsent(b, k -> {
                try {
                    return reader.entryBundle(k, size);
                } catch (LedgerException ex) {
                    throw new AssertionError(ex);
                }
            });
            assertThat(bundle.get((int) (e.getKey() % 256))).as("entry %d", e.getKey()).isEqualTo(e.getValue());
        }
    }
}
