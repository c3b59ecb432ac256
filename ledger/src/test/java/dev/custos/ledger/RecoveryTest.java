package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

    @TempDir
    Path tmp;

    /** Appends without publishing and copies the directory: the disk as a crash would leave it. */
    private Path crashedWithWalOnly(int entries) throws Exception {
        Path live = tmp.resolve("live");
        Path crashed = tmp.resolve("crashed");
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            for (int i = 0; i < entries; i += 7) {
                ledger.appendAll(TestLogs.entries(i, Math.min(entries, i + 7)));
            }
            TestLogs.copyTree(live, crashed);
        }
        return crashed;
    }

    private static List<Integer> recordEnds(byte[] wal) {
        List<Integer> ends = new ArrayList<>();
        int off = Wal.HEADER_SIZE;
        while (off < wal.length) {
            off += Wal.RECORD_OVERHEAD + ByteBuffer.wrap(wal).getInt(off);
            ends.add(off);
        }
        return ends;
    }

    @Test
    void crashBeforeIntegration_reopenIntegratesWalAndVerifies() throws Exception {
        Path crashed = crashedWithWalOnly(600);
        try (Ledger ledger = Ledger.open(crashed, TestLogs.manual())) {
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(600);
            assertThat(ledger.entry(599)).isEqualTo(TestLogs.entry(599));
            assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }

    @Test
    void tornWalTail_atManyOffsets_recoversToLastCompleteRecord() throws Exception {
        Path crashed = crashedWithWalOnly(40);
        Path seg = TestLogs.onlyWalSegment(crashed);
        byte[] wal = Files.readAllBytes(seg);
        List<Integer> ends = recordEnds(wal);
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int e : ends) {
            cuts.add(e - 1);
            cuts.add(e);
            cuts.add(Math.min(wal.length, e + 1));
            cuts.add(Math.min(wal.length, e + 9));
        }
        cuts.add(Wal.HEADER_SIZE);
        cuts.add(Wal.HEADER_SIZE + 3);
        for (int cut : cuts) {
            Path trial = tmp.resolve("trial");
            TestLogs.deleteTree(trial);
            TestLogs.copyTree(crashed, trial);
            try (FileChannel ch = FileChannel.open(TestLogs.onlyWalSegment(trial), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
                // a torn write may also leave garbage (zeros) after the last complete record
                if (cut % 2 == 0) {
                    ch.write(ByteBuffer.allocate(5), cut);
                }
            }
            long complete = ends.stream().filter(e -> e <= cut).count();
            int lastEnd = ends.stream().filter(e -> e <= cut).reduce((a, b) -> b).orElse(Wal.HEADER_SIZE);
            long lengthAfterCrash = Files.size(TestLogs.onlyWalSegment(trial));
            try (Ledger ledger = Ledger.open(trial, TestLogs.manual())) {
                assertThat(ledger.durableSize()).as("cut at %d", cut).isEqualTo(complete);
                assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(complete);
                for (long i = 0; i < complete; i++) {
                    assertThat(ledger.entry(i)).isEqualTo(TestLogs.entry(i));
                }
                assertThat(ledger.droppedBytesAtOpen()).isEqualTo(lengthAfterCrash - lastEnd);
                Receipt next = ledger.append(TestLogs.entry(complete));
                assertThat(next.index()).isEqualTo(complete);
                ledger.publish();
                assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
            }
        }
    }

    @Test
    void tornWalTail_reportsDroppedBytes() throws Exception {
        Path crashed = crashedWithWalOnly(10);
        Path seg = TestLogs.onlyWalSegment(crashed);
        long size = Files.size(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        byte[] wal = Files.readAllBytes(seg);
        int ninthEnd = recordEnds(wal).get(8);
        try (Ledger ledger = Ledger.open(crashed, TestLogs.manual())) {
            assertThat(ledger.durableSize()).isEqualTo(9);
            assertThat(ledger.droppedBytesAtOpen()).isEqualTo(wal.length - ninthEnd);
            assertThat(Files.size(seg)).isEqualTo(ninthEnd);
        }
    }

    @Test
    void crashAfterIntegrationBeforeCheckpoint_reopenResumesExactly() throws Exception {
        Path live = tmp.resolve("live");
        byte[] oldCheckpoint;
        Hash rootAt600;
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300));
            oldCheckpoint = ledger.publish().bytes();
            ledger.appendAll(TestLogs.entries(300, 600));
            rootAt600 = ledger.publish().checkpoint().rootHash();
        }
        // Tiles for 600 are durable but the checkpoint write was lost: the old checkpoint is on disk.
        Files.write(live.resolve("checkpoint"), oldCheckpoint);
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(600);
            assertThat(ledger.latestCheckpoint().checkpoint().rootHash()).isEqualTo(rootAt600);
        }
    }

    @Test
    void corruptRecordBeforeTheTail_refusesToOpen() throws Exception {
        Path live = tmp.resolve("live");
        try (Ledger ledger = Ledger.open(live, TestLogs.manual().withWalSegmentBytes(1 << 16))) {
            for (int i = 0; i < 40; i++) {
                ledger.append(new byte[4000]);
            }
            TestLogs.copyTree(live, tmp.resolve("crashed"));
        }
        Path crashed = tmp.resolve("crashed");
        Path first;
        try (var s = Files.list(crashed.resolve("wal"))) {
            first = s.sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(first);
        b[Wal.HEADER_SIZE + 100] ^= 1;
        Files.write(first, b);
        assertThatThrownBy(() -> Ledger.open(crashed, TestLogs.manual()))
                .isInstanceOf(LedgerException.class).hasMessageContaining("corrupt");
    }

    @Test
    void tamperedTiles_refuseToOpen() throws Exception {
        Path live = tmp.resolve("live");
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300));
        }
        Path tile = live.resolve("tile/0/001.p/44");
        byte[] b = Files.readAllBytes(tile);
        b[5] ^= 1;
        Files.write(tile, b);
        assertThatThrownBy(() -> Ledger.open(live, TestLogs.manual()))
                .isInstanceOf(LedgerException.class).hasMessageContaining("verifier");
    }

    @Test
    void lostWal_afterCheckpoint_resumesFromCheckpointAndReopensAgain() throws Exception {
        Path live = tmp.resolve("live");
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300));
        }
        Path seg = TestLogs.onlyWalSegment(live);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(Wal.HEADER_SIZE);
        }
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            assertThat(ledger.durableSize()).isEqualTo(300);
            assertThat(ledger.append(TestLogs.entry(300)).index()).isEqualTo(300);
        }
        try (Ledger ledger = Ledger.open(live, TestLogs.manual())) {
            assertThat(ledger.latestCheckpoint().checkpoint().size()).isEqualTo(301);
            assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
        }
    }
}
