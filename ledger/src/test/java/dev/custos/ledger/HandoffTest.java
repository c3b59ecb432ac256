package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HandoffTest {

    @Test
    void givesBackEveryEntryAndLeafInOrderAcrossGrowingChunks() throws LedgerException {
        SplittableRandom random = new SplittableRandom(3);
        List<byte[]> entries = new ArrayList<>();
        // about 6 MB: the 16 KiB first chunk, doubling chunks, then several of the 1 MiB maximum,
        // with entries up to the 65,535-byte limit that never fit the space left in a chunk
        for (int i = 0; i < 400; i++) {
            byte[] e = new byte[i % 50 == 49 ? 65_535 : 1 + random.nextInt(30_000)];
            random.nextBytes(e);
            entries.add(e);
        }
        Handoff handoff = Handoff.of(entries);

        List<byte[]> seen = new ArrayList<>();
        List<Hash> leaves = new ArrayList<>();
        handoff.forEach((chunk, offset, length, leaf) -> {
            seen.add(Arrays.copyOfRange(chunk, offset, offset + length));
            leaves.add(leaf);
        });

        assertThat(handoff.size()).isEqualTo(entries.size());
        assertThat(seen).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertThat(seen.get(i)).as("entry %d", i).isEqualTo(entries.get(i));
            assertThat(leaves.get(i)).as("leaf %d", i).isEqualTo(Merkle.leafHash(entries.get(i)));
        }
    }

    @Test
    void aFewEntriesHoldASmallChunkNotAMegabyte() {
        Handoff handoff = Handoff.of(List.of(new byte[200], new byte[300]));

        assertThat(handoff.bytes()).isLessThan(64 * 1024);
    }

    @Test
    void heldBytesCountEveryChunkAllocated() {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(new byte[60_000]);
        }
        Handoff handoff = Handoff.of(entries);

        assertThat(handoff.bytes()).isGreaterThanOrEqualTo(100L * (2 + 60_000 + Hash.SIZE));
    }
}
