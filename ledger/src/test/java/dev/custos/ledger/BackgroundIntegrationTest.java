package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The integrator writing full tiles between checkpoints, and the backpressure it exerts on appends. */
class BackgroundIntegrationTest {

    private static final int TILES = 10;
    private static final int LEAVES = TILES * 256;

    @TempDir
    Path dir;

    @TempDir
    Path crashed;

    /** A timer that never fires during a test, so only the background integrator writes tiles. */
    private static LedgerOptions hourly() {
        return TestLogs.manual().withPublishInterval(Duration.ofHours(1));
    }

    @Test
    void fullTiles_areWrittenBeforeTheNextCheckpoint_whichStillCoversOnlyWhatWasPublished() throws Exception {
        try (Ledger ledger = Ledger.open(dir, hourly())) {
            for (int i = 0; i < LEAVES; i += 512) {
                ledger.appendAll(TestLogs.entries(i, i + 512));
            }
            awaitFullTiles();
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isZero();
            assertThat(dir.resolve("tile/0/000.p")).doesNotExist();

            SignedCheckpoint cp = ledger.publish();

            assertThat(cp.checkpoint().size()).isEqualTo(LEAVES);
            assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }

    @Test
    void crash_withFullTilesBeyondTheCheckpoint_recoversEveryEntryFromTheWal() throws Exception {
        List<Receipt> receipts = new ArrayList<>();
        try (Ledger ledger = Ledger.open(dir, hourly())) {
            for (int i = 0; i < LEAVES + 100; i += 100) {
                receipts.addAll(ledger.appendAll(TestLogs.entries(i, i + 100)));
            }
            awaitFullTiles();
            TestLogs.copyTree(dir, crashed); // the disk as a crash would leave it: tiles, no checkpoint over them
            Files.deleteIfExists(crashed.resolve(Ledger.LOCK_FILE));
        }
        try (Ledger reopened = Ledger.open(crashed, TestLogs.manual())) {
            assertThat(reopened.latestCheckpoint().checkpoint().size()).isEqualTo(receipts.size());
            assertThat(reopened.latestCheckpoint().checkpoint().rootHash())
                    .isEqualTo(Merkle.root(receipts.stream().map(Receipt::leafHash).toList()));
            assertThat(reopened.entry(LEAVES + 99)).isEqualTo(TestLogs.entry(LEAVES + 99));
            assertThat(Verifier.verify(reopened.reader(), reopened.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }

    @Test
    void appends_underBackpressure_allComplete_andTheBacklogStaysWithinTheBoundAndOneGroup() throws Exception {
        long bound = 1 << 20;
        int threads = 4;
        int batch = 1000;
        int batches = 8;
        try (Ledger ledger = Ledger.open(dir, hourly(), bound);
             ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<List<Receipt>>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * batch * batches;
                done.add(pool.submit(() -> {
                    List<Receipt> mine = new ArrayList<>();
                    for (int b = 0; b < batches; b++) {
                        int from = first + b * batch;
                        mine.addAll(ledger.appendAll(TestLogs.entries(from, from + batch)));
                    }
                    return mine;
                }));
            }
            long acknowledged = 0;
            for (Future<List<Receipt>> f : done) {
                acknowledged += f.get().size();
            }
            assertThat(acknowledged).isEqualTo((long) threads * batch * batches);
            // A group is taken whole once the backlog is below the bound: at most every thread's batch.
            long oneGroup = (long) threads * batch * (2 + 40 + Hash.SIZE);
            assertThat(ledger.mostBacklogBytes()).isLessThanOrEqualTo(bound + oneGroup + (1 << 20));
            assertThat(ledger.publish().checkpoint().size()).isEqualTo(acknowledged);
            assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }

    @Test
    void aFailedTileWrite_inTheBackground_failsClosed_noCheckpointOverIt_andReopeningRecovers() throws Exception {
        // A non-empty directory where the first bundle's temporary file must go makes its write fail.
        Path blocker = dir.resolve("tile/entries/000.tmp/x");
        Files.createDirectories(blocker);
        Ledger ledger = Ledger.open(dir, hourly());
        ledger.appendAll(TestLogs.entries(0, 3 * 256));
        assertThatThrownBy(ledger::publish).isInstanceOf(LedgerException.class).hasMessageContaining("000");
        assertThatThrownBy(() -> ledger.append(TestLogs.entry(3 * 256))).isInstanceOf(LedgerException.class)
                .hasMessageContaining("failed");
        assertThat(ledger.latestCheckpoint().checkpoint().size()).isZero();
        ledger.close();
        Files.delete(blocker);
        Files.delete(blocker.getParent());
        try (Ledger reopened = Ledger.open(dir, hourly())) {
            assertThat(reopened.latestCheckpoint().checkpoint().size()).isEqualTo(3 * 256);
            assertThat(Verifier.verify(reopened.reader(), reopened.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }

    @Test
    void aBrokenIntegrator_namesWhatBrokeIt_inEveryLaterRefusal() throws Exception {
        Files.createDirectories(dir.resolve("tile/entries/000.tmp/x"));
        try (Integrator integrator = Integrator.empty(dir)) {
            integrator.append(Handoff.of(TestLogs.entries(0, 256)));
            assertThatThrownBy(integrator::flush).isInstanceOf(LedgerException.class).hasMessageContaining("000");
            // Whichever call meets the broken integrator next (the timer's publish, the background
            // integrator) tells the operator the first cause, not only that something failed.
            assertThatThrownBy(integrator::flush).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("failed earlier").hasMessageContaining("tile/entries/000");
            assertThatThrownBy(() -> integrator.append(Handoff.of(TestLogs.entries(256, 257))))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("tile/entries/000");
        }
    }

    /**
     * Waits for every full tile and bundle, not only the last: the tile writers run concurrently,
     * so the last one can land while an earlier one is still a temporary file.
     */
    private void awaitFullTiles() throws InterruptedException {
        List<Path> expected = new ArrayList<>();
        for (int n = 0; n < TILES; n++) {
            expected.add(dir.resolve("tile/0/" + TilePaths.encodeIndex(n)));
            expected.add(dir.resolve("tile/entries/" + TilePaths.encodeIndex(n)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!expected.stream().allMatch(Files::exists) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(expected).allMatch(Files::exists, "written");
    }
}
