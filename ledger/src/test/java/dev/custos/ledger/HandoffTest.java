package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
}
