package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    @TempDir
    Path dir;

    @Test
    void append_returnsReceiptsWithConsecutiveIndicesAndLeafHashes() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            Receipt r0 = ledger.append(TestLogs.entry(0));
            List<Receipt> more = ledger.appendAll(TestLogs.entries(1, 4));
            assertThat(r0.index()).isZero();
            assertThat(r0.leafHash()).isEqualTo(Merkle.leafHash(TestLogs.entry(0)));
            assertThat(more).extracting(Receipt::index).containsExactly(1L, 2L, 3L);
            assertThat(ledger.durableSize()).isEqualTo(4);
        }
    }

    @Test
    void append_returnsReceiptOnlyAfterDurable_walHoldsEntryBeforeAnyCheckpoint() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.append(TestLogs.entry(0));
            // Not yet integrated or published: the only durable copy is the WAL record, forced before the receipt.
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isZero();
            byte[] wal = Files.readAllBytes(TestLogs.onlyWalSegment(dir));
            assertThat(wal.length).isEqualTo(Wal.HEADER_SIZE + Wal.RECORD_OVERHEAD + TestLogs.entry(0).length);
        }
    }

    @Test
    void append_withABound_returnsTheReceiptOnceDurable_andRefusesANonPositiveBound() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            Receipt r = ledger.append(TestLogs.entry(0), Duration.ofSeconds(5));
            assertThat(r.index()).isZero();
            assertThat(ledger.durableSize()).isEqualTo(1);
            assertThatThrownBy(() -> ledger.append(TestLogs.entry(1), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger.append(TestLogs.entry(1), Duration.ofDays(365_000_000)).index()).isEqualTo(1);
        }
    }

    @Test
    void append_ofEmptyOrOversizedEntry_isRefused() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            assertThatThrownBy(() -> ledger.append(new byte[0])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ledger.append(new byte[65_536])).isInstanceOf(IllegalArgumentException.class);
            assertThat(ledger.append(new byte[65_535]).index()).isZero();
        }
    }

    @Test
    void publish_signsCheckpointOverEveryDurableEntry() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            List<Receipt> receipts = ledger.appendAll(TestLogs.entries(0, 700));
            SignedCheckpoint cp = ledger.publish();
            assertThat(cp.checkpoint().size()).isEqualTo(700);
            assertThat(cp.checkpoint().origin()).isEqualTo("custos.test/ledger");
            assertThat(cp.checkpoint().rootHash()).isEqualTo(Merkle.root(receipts.stream().map(Receipt::leafHash).toList()));
            byte[] onDisk = Files.readAllBytes(dir.resolve("checkpoint"));
            assertThat(SignedCheckpoint.parse(onDisk, TestLogs.SIGNER.verifier()).orThrow().checkpoint()).isEqualTo(cp.checkpoint());
        }
    }

    @Test
    void publish_timer_signsCheckpointWithoutBeingAsked() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual().withPublishInterval(Duration.ofMillis(20)))) {
            ledger.appendAll(TestLogs.entries(0, 10));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ledger.latestCheckpoint().checkpoint().size() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(10);
        }
    }

    @Test
    void layout_followsTlogTiles() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300));
            ledger.publish();
        }
        assertThat(dir.resolve("checkpoint")).isRegularFile();
        assertThat(dir.resolve("ledger.vkey")).hasContent(TestLogs.SIGNER.verifier().encoded());
        assertThat(dir.resolve("tile/0/000")).hasSize(256 * 32);
        assertThat(dir.resolve("tile/0/001.p/44")).hasSize(44 * 32);
        assertThat(dir.resolve("tile/1/000.p/1")).hasSize(32);
        assertThat(dir.resolve("tile/entries/000")).isRegularFile();
        assertThat(dir.resolve("tile/entries/001.p/44")).isRegularFile();
        assertThat(TilePaths.tile(2, 1_234_067, 256)).isEqualTo("tile/2/x001/x234/067");
        assertThat(TilePaths.entries(5, 7)).isEqualTo("tile/entries/005.p/7");
    }

    @Test
    void publish_deletesPartialsMadeObsolete_includingThoseOfAnEarlierOpenAndThoseACrashLeft(@TempDir Path crashed)
            throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300));
            ledger.publish();
            ledger.appendAll(TestLogs.entries(300, 600));
            ledger.publish();
        }
        assertThat(dir.resolve("tile/0/001.p")).doesNotExist();
        assertThat(dir.resolve("tile/entries/001.p")).doesNotExist();
        assertThat(dir.resolve("tile/0/002.p/88")).hasSize(88 * 32);
        assertThat(dir.resolve("tile/1/000.p/2")).hasSize(2 * 32);

        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            // The partials at size 600 were written by the previous open.
            ledger.appendAll(TestLogs.entries(600, 800));
            ledger.publish();
            assertThat(dir.resolve("tile/0/002.p")).doesNotExist();
            assertThat(dir.resolve("tile/entries/002.p")).doesNotExist();
            assertThat(dir.resolve("tile/1/000.p/3")).hasSize(3 * 32);

            ledger.appendAll(TestLogs.entries(800, 1100));
            TestLogs.copyTree(dir, crashed); // entries in the WAL, no checkpoint over them
        }
        Files.deleteIfExists(crashed.resolve(Ledger.LOCK_FILE));
        // What a publish that crashed before its checkpoint would have left: a partial of a tile
        // that integration at open fills.
        Files.createDirectories(crashed.resolve("tile/0/003.p"));
        Files.write(crashed.resolve("tile/0/003.p/10"), new byte[10 * 32]);
        try (Ledger ledger = Ledger.open(crashed, TestLogs.manual())) {
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(1100);
        }
        assertThat(crashed.resolve("tile/0/003.p")).doesNotExist();
        assertThat(crashed.resolve("tile/0/004.p/76")).hasSize(76 * 32);
        assertThat(Verifier.verify(TileReader.ofDirectory(crashed), TestLogs.SIGNER.verifier()))
                .isInstanceOf(VerifyResult.Clean.class);
    }

    @Test
    void proofs_fromLedger_verifyAgainstCheckpoints() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            List<Hash> leaves = new ArrayList<>();
            List<SignedCheckpoint> cps = new ArrayList<>();
            int[] batches = {1, 5, 250, 1, 300, 66_000 - 557};
            int next = 0;
            for (int b : batches) {
                ledger.appendAll(TestLogs.entries(next, next + b)).forEach(r -> leaves.add(r.leafHash()));
                next += b;
                cps.add(ledger.publish());
            }
            SignedCheckpoint last = cps.get(cps.size() - 1);
            long n = last.checkpoint().size();
            assertThat(n).isEqualTo(66_000);
            for (long i : new long[] {0, 1, 255, 256, 257, 511, 65_535, 65_536, 65_999}) {
                InclusionProof p = ledger.inclusionProof(i, n);
                assertThat(p.verifies(leaves.get((int) i), last.checkpoint().rootHash())).as("leaf %d", i).isTrue();
            }
            for (SignedCheckpoint old : cps) {
                ConsistencyProof c = ledger.consistencyProof(old.checkpoint().size(), n);
                assertThat(c.verifies(old.checkpoint().rootHash(), last.checkpoint().rootHash())).isTrue();
                if (old.checkpoint().size() > 0) {
                    long m = old.checkpoint().size();
                    assertThat(ledger.inclusionProof(m - 1, m).verifies(leaves.get((int) m - 1), old.checkpoint().rootHash())).isTrue();
                }
            }
            assertThat(ledger.entry(65_999)).isEqualTo(TestLogs.entry(65_999));
            assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }

    @Test
    void inclusionProof_beyondCheckpoint_isRefused() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 3));
            assertThatThrownBy(() -> ledger.inclusionProof(0, 3)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void reopen_resumesTreeExactly() throws Exception {
        List<Hash> leaves = new ArrayList<>();
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300)).forEach(r -> leaves.add(r.leafHash()));
        }
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(300);
            Receipt r = ledger.append(TestLogs.entry(300));
            leaves.add(r.leafHash());
            assertThat(r.index()).isEqualTo(300);
            assertThat(ledger.publish().checkpoint().rootHash()).isEqualTo(Merkle.root(leaves));
        }
    }

    @Test
    void open_whileOpen_isRefused() throws Exception {
        Ledger first = Ledger.open(dir, TestLogs.manual());
        assertThatThrownBy(() -> Ledger.open(dir, TestLogs.manual()))
                .isInstanceOf(LedgerException.class).hasMessageContaining("in use");
        first.close();
        Ledger.open(dir, TestLogs.manual()).close();
    }

    @Test
    void open_withAnotherKey_isRefused() throws Exception {
        Ledger.open(dir, TestLogs.manual()).close();
        NoteSigner other = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        assertThatThrownBy(() -> Ledger.open(dir, LedgerOptions.of(other)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("verifier key");
    }

    @Test
    void append_afterClose_throws() throws Exception {
        Ledger ledger = Ledger.open(dir, TestLogs.manual());
        ledger.close();
        assertThatThrownBy(() -> ledger.append(TestLogs.entry(0))).isInstanceOf(LedgerException.class);
    }

    @Test
    void concurrentAppenders_getDistinctIndicesAndEveryEntryIsStored() throws Exception {
        int threads = 16;
        int perThread = 300;
        ConcurrentHashMap<Long, byte[]> byIndex = new ConcurrentHashMap<>();
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual().withPublishInterval(Duration.ofMillis(50)))) {
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    fs.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            byte[] e = ("t" + id + "-" + i).getBytes();
                            byIndex.put(ledger.append(e).index(), e);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            }
            ledger.publish();
            assertThat(byIndex.keySet()).hasSize(threads * perThread);
            assertThat(byIndex.keySet().stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(threads * perThread - 1);
            for (var e : byIndex.entrySet()) {
                assertThat(ledger.entry(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void walSegments_rotateAndAreDeletedOnceCheckpointed() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual().withWalSegmentBytes(1 << 16))) {
            for (int i = 0; i < 40; i++) {
                ledger.append(new byte[4000]);
            }
            assertThat(ledger.wal().segmentCount()).isGreaterThan(1);
            ledger.publish();
            assertThat(ledger.wal().segmentCount()).isEqualTo(1);
        }
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual().withWalSegmentBytes(1 << 16))) {
            assertThat(ledger.durableSize()).isEqualTo(40);
            assertThat(ledger.append(new byte[] {1}).index()).isEqualTo(40);
        }
    }

    @Test
    void options_withBadValues_areRefusedNamingTheField() {
        LedgerOptions ok = TestLogs.manual();
        assertThatThrownBy(() -> ok.withOrigin("")).hasMessageContaining("origin");
        assertThatThrownBy(() -> ok.withPublishInterval(Duration.ofSeconds(-1))).hasMessageContaining("publishInterval");
        assertThatThrownBy(() -> ok.withWalSegmentBytes(10)).hasMessageContaining("walSegmentBytes");
    }

    @Test
    void emptyLedger_publishesEmptyRootAndVerifies() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            Checkpoint cp = ledger.latestCheckpoint().checkpoint();
            assertThat(cp.size()).isZero();
            assertThat(cp.rootHash()).isEqualTo(Merkle.emptyRoot());
            assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isEqualTo(new VerifyResult.Clean(cp));
        }
    }

    @Test
    void close_isIdempotentAndPublishesEverythingAcknowledged() throws Exception {
        Ledger ledger = Ledger.open(dir, TestLogs.manual());
        ledger.appendAll(TestLogs.entries(0, 5));
        ledger.close();
        ledger.close();
        assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(5);
    }

    @Test
    void integrationFailure_failsClosed_appendsRefusedUntilReopened() throws Exception {
        Ledger ledger = Ledger.open(dir, TestLogs.manual());
        ledger.appendAll(TestLogs.entries(0, 5));
        // A file where the partial-tile directory must go makes integration fail.
        Files.createDirectories(dir.resolve("tile/0"));
        Files.writeString(dir.resolve("tile/0/000.p"), "in the way");
        assertThatThrownBy(ledger::publish).isInstanceOf(LedgerException.class);
        assertThatThrownBy(() -> ledger.append(TestLogs.entry(5))).isInstanceOf(LedgerException.class)
                .hasMessageContaining("failed");
        assertThat(ledger.latestCheckpoint().checkpoint().size()).isZero();
        ledger.close();
        Files.delete(dir.resolve("tile/0/000.p"));
        try (Ledger reopened = Ledger.open(dir, TestLogs.manual())) {
            assertThat(reopened.latestCheckpoint().checkpoint().size()).isEqualTo(5);
            assertThat(reopened.append(TestLogs.entry(5)).index()).isEqualTo(5);
        }
    }
}
