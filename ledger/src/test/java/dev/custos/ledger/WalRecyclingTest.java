package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAL segments reused after a checkpoint: their stale records are never read back as entries. */
class WalRecyclingTest {

    private static final int SEGMENT = 1 << 16;

    @TempDir
    Path tmp;

    /** 4,000-byte entries fill three segments; a checkpoint frees two; 1,000-byte entries then go into them. */
    private static List<byte[]> fillRecycleAndRefill(Ledger ledger) throws Exception {
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            byte[] big = new byte[4000];
            Arrays.fill(big, (byte) i);
            big[0] = 'B';
            ledger.append(big);
            written.add(big);
        }
        ledger.publish();
        for (int i = 0; i < 150; i++) {
            byte[] small = new byte[1000];
            Arrays.fill(small, (byte) i);
            small[0] = 'S';
            ledger.append(small);
            written.add(small);
        }
        return written;
    }

    private static List<Path> segments(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private static boolean recycled(Path segment) throws Exception {
        return Files.readAllBytes(segment)[Wal.RECYCLED_FLAG_OFFSET] == 1;
    }

    @Test
    void recycledSegments_withStaleRemainders_recoverExactlyTheAcknowledgedEntries() throws Exception {
        Path live = tmp.resolve("live");
        Path crashed = tmp.resolve("crashed");
        List<byte[]> written;
        try (Ledger ledger = Ledger.open(live, TestLogs.manual().withWalSegmentBytes(SEGMENT))) {
            written = fillRecycleAndRefill(ledger);
            List<Path> live0 = segments(live);
            assertThat(live0.size()).isGreaterThan(1);
            assertThat(live0.stream().filter(p -> {
                try {
                    return recycled(p);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).count()).as("segments made from spares").isGreaterThanOrEqualTo(2);
            TestLogs.copyTree(live, crashed); // a crash now: nothing after the first checkpoint is published
            Files.deleteIfExists(crashed.resolve(Ledger.LOCK_FILE));
        }
        for (Path dir : List.of(crashed, live)) {
            try (Ledger ledger = Ledger.open(dir, TestLogs.manual().withWalSegmentBytes(SEGMENT))) {
                assertThat(ledger.durableSize()).as(dir.toString()).isEqualTo(written.size());
                assertThat(ledger.droppedBytesAtOpen()).isZero();
                for (int i = 0; i < written.size(); i++) {
                    assertThat(ledger.entry(i)).as("entry %d", i).isEqualTo(written.get(i));
                }
                assertThat(ledger.append(TestLogs.entry(999)).index()).isEqualTo(written.size());
                ledger.publish();
                assertThat(Verifier.verify(ledger.reader(), ledger.verifierKey())).isInstanceOf(VerifyResult.Clean.class);
            }
        }
    }

    @Test
    void aRecycledTail_isCutBackToItsRecords_soNothingAfterThemIsEverRead() throws Exception {
        Path live = tmp.resolve("live");
        int count;
        try (Ledger ledger = Ledger.open(live, TestLogs.manual().withWalSegmentBytes(SEGMENT))) {
            count = fillRecycleAndRefill(ledger).size();
        }
        List<Path> segs = segments(live);
        Path tail = segs.get(segs.size() - 1);
        try (Ledger ledger = Ledger.open(live, TestLogs.manual().withWalSegmentBytes(SEGMENT))) {
            assertThat(ledger.durableSize()).isEqualTo(count);
        }
        byte[] data = Files.readAllBytes(tail);
        int off = Wal.HEADER_SIZE;
        while (off < data.length) {
            off += Wal.RECORD_OVERHEAD + ByteBuffer.wrap(data).getInt(off);
        }
        assertThat(off).as("the tail ends exactly after its last record").isEqualTo(data.length);
    }

    @Test
    void aCorruptRecord_inARecycledSegmentBeforeTheTail_refusesToOpen() throws Exception {
        Path live = tmp.resolve("live");
        Path crashed = tmp.resolve("crashed");
        try (Ledger ledger = Ledger.open(live, TestLogs.manual().withWalSegmentBytes(SEGMENT))) {
            fillRecycleAndRefill(ledger);
            TestLogs.copyTree(live, crashed); // before close publishes and frees the segments
            Files.deleteIfExists(crashed.resolve(Ledger.LOCK_FILE));
        }
        Path firstRecycled = null;
        List<Path> segs = segments(crashed);
        for (Path p : segs.subList(0, segs.size() - 1)) {
            if (recycled(p)) {
                firstRecycled = p;
                break;
            }
        }
        assertThat(firstRecycled).isNotNull();
        try (FileChannel ch = FileChannel.open(firstRecycled, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, Wal.HEADER_SIZE + 20);
            b.put(0, (byte) (b.get(0) ^ 1)).rewind();
            ch.write(b, Wal.HEADER_SIZE + 20);
        }
        assertThatThrownBy(() -> Ledger.open(crashed, TestLogs.manual().withWalSegmentBytes(SEGMENT)))
                .isInstanceOf(LedgerException.class).hasMessageContaining("corrupt");
    }
}
