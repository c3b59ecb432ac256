package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The packed hand-off of durable entries from the sequencer to the integrator. */
class HandoffTest {

    @Test
    void aFewEntries_holdAFewKilobytes_notAMegabyte() {
        Handoff h = Handoff.of(TestLogs.entries(0, 10));

        assertThat(h.size()).isEqualTo(10);
        assertThat(h.bytes()).isLessThanOrEqualTo(16 << 10);
    }

    @Test
    void manyEntries_comeBackInOrderWithTheirLeafHashes_andTheHeldBytesStayWithinTwiceWhatTheyNeed()
            throws Exception {
        List<byte[]> entries = new ArrayList<>(TestLogs.entries(0, 20_000));
        entries.add(new byte[Ledger.MAX_ENTRY_BYTES]); // larger than the first chunks
        entries.addAll(TestLogs.entries(20_000, 20_100));
        Handoff h = Handoff.of(entries);
        long needed = entries.stream().mapToLong(e -> 2 + e.length + Hash.SIZE).sum();

        List<byte[]> back = new ArrayList<>();
        List<Hash> leaves = new ArrayList<>();
        h.forEach((chunk, offset, length, leaf) -> {
            back.add(Arrays.copyOfRange(chunk, offset, offset + length));
            leaves.add(leaf);
        });

        assertThat(back).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertThat(back.get(i)).isEqualTo(entries.get(i));
            assertThat(leaves.get(i)).isEqualTo(Merkle.leafHash(entries.get(i)));
        }
        assertThat(h.bytes()).isBetween(needed, 2 * needed + (1 << 20));
    }

    @Property(tries = 200)
    void aClearedHandoffRefilled_givesBackExactlyTheNewEntries_neverOlderOnesLeftInItsKeptChunks(
            @ForAll @Size(min = 1, max = 6) List<@Size(max = 3000) List<@IntRange(min = 1, max = 2000) Integer>> rounds,
            @ForAll @IntRange(min = 0, max = 4 << 20) int keepBytes) throws Exception {
        Handoff h = new Handoff();
        long serial = 0;
        for (List<Integer> lengths : rounds) {
            List<byte[]> entries = new ArrayList<>();
            for (int length : lengths) {
                byte[] e = new byte[length];
                Arrays.fill(e, (byte) (1 + serial++ % 251)); // every byte non-zero, each entry its own
                entries.add(e);
                h.add(e, Merkle.leafHash(e).unsafeBytes(), 0);
            }

            List<byte[]> back = new ArrayList<>();
            List<Hash> leaves = new ArrayList<>();
            h.forEach((chunk, offset, length, leaf) -> {
                back.add(Arrays.copyOfRange(chunk, offset, offset + length));
                leaves.add(leaf);
            });

            assertThat(h.size()).isEqualTo(entries.size());
            assertThat(back).hasSize(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                assertThat(back.get(i)).isEqualTo(entries.get(i));
                assertThat(leaves.get(i)).isEqualTo(Merkle.leafHash(entries.get(i)));
            }
            h.clear(keepBytes);
            assertThat(h.size()).isZero();
            assertThat(h.bytes()).isZero();
        }
    }

    @Test
    void refillingAClearedHandoff_reusesItsChunks_insteadOfAllocatingNewOnes() throws Exception {
        Handoff h = Handoff.of(TestLogs.entries(0, 5_000));
        List<byte[]> first = chunksOf(h);
        h.clear(4 << 20);
        for (byte[] e : TestLogs.entries(5_000, 10_000)) {
            h.add(e, Merkle.leafHash(e).unsafeBytes(), 0);
        }

        List<byte[]> second = chunksOf(h);
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).isSameAs(first.get(i));
        }
    }

    @Test
    void clearing_keepsOnlyTheFirstChunksWithinTheBytesAsked() throws Exception {
        Handoff h = Handoff.of(TestLogs.entries(0, 20_000)); // chunks of 16, 32, 64 ... KiB
        h.clear(48 << 10);
        for (byte[] e : TestLogs.entries(20_000, 40_000)) {
            h.add(e, Merkle.leafHash(e).unsafeBytes(), 0);
        }
        h.clear(0);
        h.add(new byte[] {1}, Merkle.leafHash(new byte[] {1}).unsafeBytes(), 0);

        assertThat(chunksOf(h)).hasSize(1);
        assertThat(h.bytes()).isEqualTo(16 << 10);
    }

    /** The distinct chunk arrays the hand-off's entries are in, in order. */
    private static List<byte[]> chunksOf(Handoff h) throws LedgerException {
        List<byte[]> chunks = new ArrayList<>();
        h.forEach((chunk, offset, length, leaf) -> {
            if (chunks.isEmpty() || chunks.getLast() != chunk) {
                chunks.add(chunk);
            }
        });
        return chunks;
    }
}
