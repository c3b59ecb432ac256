package dev.custos.ledger;

import static dev.custos.ledger.WitnessFixture.LOG_KEY;
import static dev.custos.ledger.WitnessFixture.ORIGIN;
import static dev.custos.ledger.WitnessFixture.WITNESS_KEY;
import static dev.custos.ledger.WitnessFixture.grow;
import static dev.custos.ledger.WitnessFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WitnessTest {

    @TempDir
    Path temp;

    final WitnessFixture.Clock clock = new WitnessFixture.Clock();
    Path data;
    Witness witness;
    Ledger ledger;

    @BeforeEach
    void open() throws Exception {
        data = temp.resolve("witness");
        witness = WitnessFixture.witness(data, clock);
        ledger = WitnessFixture.ledger(temp.resolve("ledger"));
    }

    @AfterEach
    void close() throws Exception {
        witness.close();
        ledger.close();
    }

    private WitnessResponse add(byte[] body) throws LedgerException {
        return witness.addCheckpoint(body);
    }

    private static WitnessResponse.Cosigned cosigned(WitnessResponse r) {
        assertThat(r).as(new String(r.body(), StandardCharsets.UTF_8)).isInstanceOf(WitnessResponse.Cosigned.class);
        return (WitnessResponse.Cosigned) r;
    }

    private static WitnessResponse.Refused refused(WitnessResponse r, WitnessResponse.Reason reason) {
        assertThat(r).isInstanceOfSatisfying(WitnessResponse.Refused.class, x -> assertThat(x.reason()).isEqualTo(reason));
        return (WitnessResponse.Refused) r;
    }

    @Test
    void growingLog_isCosignedAtEverySize_andEachCosignatureVerifies() throws Exception {
        long old = 0;
        for (long size : new long[] {1, 2, 3, 7, 8, 255, 256, 257, 600, 1000}) {
            SignedCheckpoint cp = grow(ledger, "a", old, size);
            WitnessResponse.Cosigned c = cosigned(add(request(ledger, old, cp)));
            assertThat(c.status()).isEqualTo(200);
            assertThat(new String(c.body(), StandardCharsets.UTF_8)).startsWith("\u2014 witness.test/w1 ").endsWith("\n");
            assertThat(c.cosignature().verifies(cp.checkpoint(), WITNESS_KEY.verifier())).isTrue();
            assertThat(witness.checkpoint(ORIGIN)).contains(c.checkpoint());
            assertThat(c.checkpoint().note().isSignedBy(LOG_KEY.verifier())).isTrue();
            old = size;
        }
    }

    @Test
    void firstCheckpoint_needsOldZeroAndAnEmptyProof() throws Exception {
        SignedCheckpoint cp = grow(ledger, "a", 0, 5);
        SignedCheckpoint four = new Checkpoint(ORIGIN, 4, ledger.reader().rootHash(4, 5)).sign(LOG_KEY);
        List<Hash> proof = ledger.consistencyProof(4, 5).path();
        refused(add(request(4, proof, cp)), WitnessResponse.Reason.OLD_SIZE_MISMATCH);
        refused(add(request(0, proof, cp)), WitnessResponse.Reason.INCONSISTENT);
        assertThat(witness.checkpoint(ORIGIN)).isEmpty();
        cosigned(add(request(0, List.of(), four)));
    }

    @Test
    void wrongOldSize_is409_withTheRecordedSizeAsTlogSizeBody() throws Exception {
        SignedCheckpoint ten = grow(ledger, "a", 0, 10);
        cosigned(add(request(ledger, 0, ten)));
        SignedCheckpoint twenty = grow(ledger, "a", 10, 20);

        WitnessResponse r = add(request(ledger, 5, twenty));

        refused(r, WitnessResponse.Reason.OLD_SIZE_MISMATCH);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.contentType()).isEqualTo("text/x.tlog.size");
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("10\n");
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint()).isEqualTo(ten.checkpoint());
    }

    @Test
    void rollback_toASmallerCheckpoint_isRefused_andTheStateIsUnchanged() throws Exception {
        SignedCheckpoint five = grow(ledger, "a", 0, 5);
        SignedCheckpoint ten = grow(ledger, "a", 5, 10);
        cosigned(add(request(ledger, 0, ten)));

        refused(add(request(10, List.of(), five)), WitnessResponse.Reason.MALFORMED);
        WitnessResponse r = add(request(ledger, 5, five));
        refused(r, WitnessResponse.Reason.OLD_SIZE_MISMATCH);
        assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("10\n");
        refused(add(request(0, List.of(), five)), WitnessResponse.Reason.OLD_SIZE_MISMATCH);

        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint()).isEqualTo(ten.checkpoint());
        assertThat(evidenceFiles()).isEmpty();
    }

    @Test
    void sameCheckpointAgain_isCosignedAgain() throws Exception {
        SignedCheckpoint cp = grow(ledger, "a", 0, 10);
        cosigned(add(request(ledger, 0, cp)));
        clock.advance(Duration.ofMinutes(1));
        WitnessResponse.Cosigned again = cosigned(add(request(10, List.of(), cp)));
        assertThat(again.cosignature().time()).isEqualTo(clock.instant());
    }

    @Test
    void fork_atTheSameSize_is409_keepsEvidence_andLeavesTheStateUnchanged() throws Exception {
        SignedCheckpoint good = grow(ledger, "a", 0, 20);
        cosigned(add(request(ledger, 0, good)));
        byte[] stateBefore = Files.readAllBytes(stateFile());
        try (Ledger fork = WitnessFixture.ledger(temp.resolve("fork"))) {
            grow(fork, "a", 0, 12);
            SignedCheckpoint evil = grow(fork, "b", 12, 20);
            assertThat(evil.checkpoint().size()).isEqualTo(good.checkpoint().size());
            assertThat(evil.checkpoint().rootHash()).isNotEqualTo(good.checkpoint().rootHash());

            WitnessResponse r = add(request(20, List.of(), evil));

            refused(r, WitnessResponse.Reason.CONFLICTING_ROOT);
            assertThat(r.status()).isEqualTo(409);
            assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("20\n");
            assertThat(Files.readAllBytes(stateFile())).isEqualTo(stateBefore);
            assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint()).isEqualTo(good.checkpoint());
            List<Path> evidence = evidenceFiles();
            assertThat(evidence).hasSize(1);
            assertThat(evidence.get(0).getFileName().toString()).startsWith("20260401T100000Z-conflicting-root-20-");
            String text = Files.readString(evidence.get(0));
            assertThat(text).contains(good.checkpoint().rootHash().base64(), evil.checkpoint().rootHash().base64())
                    .contains(good.text()).contains(evil.text());
            assertThat(SignedCheckpoint.parse(evil.bytes(), LOG_KEY.verifier()).isOk()).isTrue();
        }
    }

    @Test
    void fork_shownAsALargerTree_is422_keepsEvidence_andLeavesTheStateUnchanged() throws Exception {
        SignedCheckpoint good = grow(ledger, "a", 0, 300);
        cosigned(add(request(ledger, 0, good)));
        byte[] stateBefore = Files.readAllBytes(stateFile());
        try (Ledger fork = WitnessFixture.ledger(temp.resolve("fork"))) {
            grow(fork, "a", 0, 290);
            grow(fork, "b", 290, 300);
            SignedCheckpoint evil = grow(fork, "b", 300, 400);

            WitnessResponse r = add(request(fork, 300, evil));

            refused(r, WitnessResponse.Reason.INCONSISTENT);
            assertThat(r.status()).isEqualTo(422);
            assertThat(Files.readAllBytes(stateFile())).isEqualTo(stateBefore);
            List<Path> evidence = evidenceFiles();
            assertThat(evidence).hasSize(1);
            assertThat(evidence.get(0).getFileName().toString()).contains("-inconsistent-400-");
            assertThat(Files.readString(evidence.get(0))).contains(good.text()).contains(evil.text())
                    .contains("old 300\n");

            // The same request again, later, is the same evidence, kept once.
            clock.advance(Duration.ofHours(1));
            refused(add(request(fork, 300, evil)), WitnessResponse.Reason.INCONSISTENT);
            assertThat(evidenceFiles()).hasSize(1);
        }
        // The honest log still gets cosigned afterwards.
        SignedCheckpoint next = grow(ledger, "a", 300, 310);
        cosigned(add(request(ledger, 300, next)));
    }

    @Test
    void checkpointSignedByAnotherKeyOfTheSameName_is403() throws Exception {
        SignedCheckpoint cp = grow(ledger, "a", 0, 3);
        NoteSigner impostor = NoteSigner.generate(ORIGIN, new SecureRandom());
        SignedCheckpoint forged = cp.checkpoint().sign(impostor);

        WitnessResponse r = add(request(0, List.of(), forged));

        refused(r, WitnessResponse.Reason.LOG_SIGNATURE);
        assertThat(r.status()).isEqualTo(403);
        assertThat(witness.checkpoint(ORIGIN)).isEmpty();
    }

    @Test
    void unknownOrigin_is404() throws Exception {
        NoteSigner other = NoteSigner.generate("other.test/log", new SecureRandom());
        SignedCheckpoint cp = new Checkpoint("other.test/log", 0, Merkle.emptyRoot()).sign(other);
        WitnessResponse r = add(request(0, List.of(), cp));
        refused(r, WitnessResponse.Reason.UNKNOWN_LOG);
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void tamperedProof_is422() throws Exception {
        cosigned(add(request(ledger, 0, grow(ledger, "a", 0, 100))));
        SignedCheckpoint cp = grow(ledger, "a", 100, 200);
        List<Hash> proof = new ArrayList<>(ledger.consistencyProof(100, 200).path());
        byte[] h = proof.get(1).bytes();
        h[7] ^= 1;
        proof.set(1, new Hash(h));

        WitnessResponse r = add(request(100, proof, cp));

        refused(r, WitnessResponse.Reason.INCONSISTENT);
        assertThat(r.status()).isEqualTo(422);
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint().size()).isEqualTo(100);
    }

    @Test
    void malformedBodies_are400() throws Exception {
        SignedCheckpoint cp = grow(ledger, "a", 0, 10);
        String note = cp.text();
        String proofLine = Merkle.emptyRoot().base64() + "\n";
        List<String> bodies = List.of(
                "",
                "old 0\n" + note,
                "old 0\n\n",
                "old 00\n\n" + note,
                "old -1\n\n" + note,
                "old 1e3\n\n" + note,
                "old 99999999999999999999\n\n" + note,
                "OLD 0\n\n" + note,
                "old  0\n\n" + note,
                "old 0\nnot base64!\n\n" + note,
                "old 0\nAAAA\n\n" + note,
                "old 0\n" + proofLine.repeat(64) + "\n" + note,
                "old 11\n\n" + note,
                "old 0\n\n" + note.replace("\n10\n", "\n010\n"),
                "old 0\n\n" + note.substring(0, note.length() - 1));
        for (String body : bodies) {
            WitnessResponse r = add(body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as("body %s", body.replace("\n", "\\n")).isIn(400, 403);
            assertThat(r).isInstanceOf(WitnessResponse.Refused.class);
        }
        byte[] notUtf8 = ("old 0\n\n" + note).getBytes(StandardCharsets.UTF_8);
        notUtf8[notUtf8.length - 5] = (byte) 0xff;
        assertThat(add(notUtf8).status()).isEqualTo(400);
        assertThat(add(("old 11\n\n" + note).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(400);
        assertThat(witness.checkpoint(ORIGIN)).isEmpty();
    }

    @Test
    void state_isDurableOnDisk_andSurvivesRestart() throws Exception {
        SignedCheckpoint cp = grow(ledger, "a", 0, 42);
        WitnessResponse.Cosigned c = cosigned(add(request(ledger, 0, cp)));
        assertThat(Files.readAllBytes(stateFile())).isEqualTo(c.checkpoint().bytes());
        assertThat(Files.readString(data.resolve("witness.vkey"))).isEqualTo(WITNESS_KEY.verifier().encoded() + "\n");
        assertThat(Files.readString(data.resolve("logs.conf"))).contains(LOG_KEY.verifier().encoded() + "\n");
        try (Stream<Path> s = Files.walk(data)) {
            assertThat(s.filter(p -> p.toString().endsWith(".tmp")).toList()).isEmpty();
        }
        witness.close();

        witness = Witness.open(data, WITNESS_KEY, clock);

        assertThat(witness.trustedLogs()).containsExactly(TrustedLog.of(LOG_KEY.verifier()));
        assertThat(witness.checkpoint(ORIGIN)).contains(c.checkpoint());
        SignedCheckpoint next = grow(ledger, "a", 42, 50);
        refused(add(request(ledger, 0, next)), WitnessResponse.Reason.OLD_SIZE_MISMATCH);
        cosigned(add(request(ledger, 42, next)));
    }

    @Test
    void crashLeftovers_areIgnoredAtOpen_andOverwrittenByTheNextUpdate() throws Exception {
        SignedCheckpoint cp = grow(ledger, "a", 0, 42);
        WitnessResponse.Cosigned c = cosigned(add(request(ledger, 0, cp)));
        witness.close();
        // A crash after writing the temporary file but before the rename, and one after creating a
        // log's directory but before its first checkpoint was renamed into it.
        Files.writeString(stateFile().resolveSibling("checkpoint.tmp"), "half a checkpo");
        Files.createDirectories(data.resolve("logs").resolve("never.finished"));

        witness = Witness.open(data, WITNESS_KEY, clock);

        assertThat(witness.checkpoint(ORIGIN)).contains(c.checkpoint());
        cosigned(add(request(ledger, 42, grow(ledger, "a", 42, 43))));
        assertThat(stateFile().resolveSibling("checkpoint.tmp")).doesNotExist();
    }

    @Test
    void failedPersist_releasesNoCosignature_andRefusesTheLogUntilRestart() throws Exception {
        SignedCheckpoint ten = grow(ledger, "a", 0, 10);
        cosigned(add(request(ledger, 0, ten)));
        // A directory where the temporary file must go makes the write fail, even for root.
        Files.createDirectory(stateFile().resolveSibling("checkpoint.tmp"));
        SignedCheckpoint twenty = grow(ledger, "a", 10, 20);

        assertThatThrownBy(() -> add(request(ledger, 10, twenty))).isInstanceOf(LedgerException.class)
                .hasMessageContaining("not cosigned");
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint()).isEqualTo(ten.checkpoint());
        Files.delete(stateFile().resolveSibling("checkpoint.tmp"));
        assertThatThrownBy(() -> add(request(ledger, 10, twenty))).isInstanceOf(LedgerException.class)
                .hasMessageContaining("restart");

        witness.close();
        witness = Witness.open(data, WITNESS_KEY, clock);
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint()).isEqualTo(ten.checkpoint());
        cosigned(add(request(ledger, 10, twenty)));
    }

    @Test
    void damagedStateFile_stopsTheWitnessFromOpening() throws Exception {
        cosigned(add(request(ledger, 0, grow(ledger, "a", 0, 42))));
        witness.close();
        Path file = stateFile();
        String text = Files.readString(file);
        // A state file rolled back by hand to a log-signed but never cosigned checkpoint.
        Files.writeString(file, grow(ledger, "a", 42, 43).text());
        assertThatThrownBy(() -> Witness.open(data, WITNESS_KEY, clock)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("damaged").hasMessageContaining(file.toString());
        Files.writeString(file, text.replace("\n42\n", "\n41\n"));
        assertThatThrownBy(() -> Witness.open(data, WITNESS_KEY, clock)).isInstanceOf(LedgerException.class);
        Files.writeString(file, text);
        witness = Witness.open(data, WITNESS_KEY, clock);
    }

    @Test
    void secondWitnessOnTheSameDirectory_orAnotherKey_isRefused() throws Exception {
        assertThatThrownBy(() -> Witness.open(data, WITNESS_KEY, clock)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("in use");
        witness.close();
        NoteSigner other = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "witness.test/w1", new SecureRandom());
        assertThatThrownBy(() -> Witness.open(data, other, clock)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("belongs to witness key");
        assertThatThrownBy(() -> Witness.open(data, LOG_KEY, clock)).isInstanceOf(IllegalArgumentException.class);
        witness = Witness.open(data, WITNESS_KEY, clock);
    }

    @Test
    void badLineInLogsConf_stopsTheWitnessFromOpening_namingTheLine() throws Exception {
        witness.close();
        Files.writeString(data.resolve("logs.conf"), "# logs\n" + LOG_KEY.verifier().encoded() + "\nnot-a-vkey\n");
        assertThatThrownBy(() -> Witness.open(data, WITNESS_KEY, clock)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("logs.conf line 3");
        Files.writeString(data.resolve("logs.conf"), "# logs\n" + LOG_KEY.verifier().encoded() + "\n");
        witness = Witness.open(data, WITNESS_KEY, clock);
    }

    @Test
    void logWithAnOriginOtherThanItsKeyName_isTrustedForThatOrigin() throws Exception {
        TrustedLog log = TrustedLog.parse(LOG_KEY.verifier().encoded() + " Custos Ledger (prod)").orThrow();
        assertThat(log.origin()).isEqualTo("Custos Ledger (prod)");
        assertThat(witness.trust(log)).isTrue();
        assertThat(witness.trust(log)).isFalse();
        SignedCheckpoint cp = new Checkpoint("Custos Ledger (prod)", 0, Merkle.emptyRoot()).sign(LOG_KEY);
        cosigned(add(request(0, List.of(), cp)));
        assertThat(data.resolve("logs").resolve("Custos%20Ledger%20%28prod%29").resolve("checkpoint")).exists();
        witness.close();
        witness = Witness.open(data, WITNESS_KEY, clock);
        assertThat(witness.trustedLogs()).contains(log);
        assertThat(witness.checkpoint("Custos Ledger (prod)")).isPresent();
    }

    @Test
    void cosignatureTimestamps_neverGoBackwards_evenIfTheClockDoes() throws Exception {
        SignedCheckpoint a = grow(ledger, "a", 0, 3);
        Instant first = cosigned(add(request(ledger, 0, a))).cosignature().time();
        clock.set(first.minus(Duration.ofHours(3)));
        SignedCheckpoint b = grow(ledger, "a", 3, 6);
        assertThat(cosigned(add(request(ledger, 3, b))).cosignature().time()).isEqualTo(first);
    }

    @Test
    void concurrentSubmissionsFromTheSameRecordedSize_exactlyOneWins_andNothingRollsBack() throws Exception {
        cosigned(add(request(ledger, 0, grow(ledger, "a", 0, 10))));
        List<byte[]> requests = new ArrayList<>();
        for (long size = 11; size <= 40; size++) {
            grow(ledger, "a", size - 1, size);
            requests.add(request(ledger, 10, ledger.latestCheckpoint()));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<WitnessResponse>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (byte[] body : requests) {
                results.add(pool.submit(() -> {
                    go.await();
                    return add(body);
                }));
            }
            go.countDown();
        }
        long winners = 0;
        for (Future<WitnessResponse> f : results) {
            WitnessResponse r = f.get();
            if (r instanceof WitnessResponse.Cosigned) {
                winners++;
            } else {
                refused(r, WitnessResponse.Reason.OLD_SIZE_MISMATCH);
            }
        }
        assertThat(winners).isEqualTo(1);
        long recorded = witness.checkpoint(ORIGIN).orElseThrow().checkpoint().size();
        assertThat(recorded).isBetween(11L, 40L);
        witness.close();
        witness = Witness.open(data, WITNESS_KEY, clock);
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint().size()).isEqualTo(recorded);
    }

    @Test
    void litewitnessRequests_getTheAnswersLitewitnessGives() throws Exception {
        List<String> lines = Vectors.lines("tlog-witness-litewitness.txt");
        String origin = value(lines, "log-origin");
        NoteVerifier logKey = NoteVerifier.ofRaw(SignatureType.ED25519, origin,
                HexFormat.of().parseHex(value(lines, "log-public-key-hex")));
        assertThat(witness.trust(TrustedLog.of(logKey))).isTrue();
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("request: ")) {
                continue;
            }
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            for (; !lines.get(j).equals("end"); j++) {
                body.append(lines.get(j)).append('\n');
            }
            String[] expect = lines.get(j + 1).substring("expect: ".length()).split(" ");
            WitnessResponse r = add(body.toString().getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(lines.get(i)).isEqualTo(Integer.parseInt(expect[0]));
            if (expect.length > 1) {
                assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo(expect[1] + "\n");
            }
            if (r instanceof WitnessResponse.Cosigned c) {
                assertThat(c.checkpoint().note().isSignedBy(logKey)).isTrue();
            }
            checked++;
        }
        assertThat(checked).isEqualTo(3);
        assertThat(witness.checkpoint(origin).orElseThrow().checkpoint().size()).isEqualTo(5);
    }

    @Test
    void directoryName_isInjectiveAndSafe() {
        assertThat(WitnessStore.directoryName("custos.example/ledger")).isEqualTo("custos.example%2Fledger");
        assertThat(WitnessStore.directoryName(".")).isEqualTo("%2E");
        assertThat(WitnessStore.directoryName("..")).isEqualTo("%2E.");
        assertThat(WitnessStore.directoryName("a~b")).isEqualTo("a%7Eb");
        assertThat(WitnessStore.directoryName("a%2Fb")).isNotEqualTo(WitnessStore.directoryName("a/b"));
        String longA = "x".repeat(300) + "a";
        String longB = "x".repeat(300) + "b";
        assertThat(WitnessStore.directoryName(longA)).hasSizeLessThan(200).isNotEqualTo(WitnessStore.directoryName(longB));
        assertThat(WitnessStore.directoryName("/".repeat(100))).hasSizeLessThan(200).doesNotEndWith("%").contains("~");
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + ": ")).findFirst().orElseThrow().substring(key.length() + 2);
    }

    private Path stateFile() {
        return data.resolve("logs").resolve(WitnessStore.directoryName(ORIGIN)).resolve("checkpoint");
    }

    private List<Path> evidenceFiles() throws Exception {
        Path dir = data.resolve("evidence");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
