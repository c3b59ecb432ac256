package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TileReaderCacheTest {

    private static final int LEAVES = 256 * 5 + 77;
    private static final long ONE_FULL_TILE = 511L * Hash.SIZE;

    @TempDir
    Path dir;

    private final List<Hash> leaves = new ArrayList<>();

    @BeforeEach
    void buildLog() throws Exception {
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, LEAVES)).forEach(r -> leaves.add(r.leafHash()));
            ledger.publish();
        }
    }

    @Test
    void inclusionProofs_withACacheSmallerThanTheirTiles_equalTheProofsFromTheLeaves() throws Exception {
        TileReader reader = new TileReader(directory(dir), ONE_FULL_TILE);
        for (int round = 0; round < 2; round++) {
            for (long i = 0; i < LEAVES; i += 37) {
                assertThat(reader.inclusionProof(i, LEAVES, LEAVES))
                        .as("leaf %d", i)
                        .isEqualTo(InclusionProof.fromLeaves(leaves, i, LEAVES));
            }
        }
        assertThat(reader.expandedCacheBytesHeld()).isLessThanOrEqualTo(ONE_FULL_TILE);
    }

    @Test
    void expandedTiles_stayWithinTheBudget_evictingTheLeastRecentlyUsed() throws Exception {
        TileReader reader = new TileReader(directory(dir), 3 * ONE_FULL_TILE);
        for (long i = 0; i < LEAVES; i += 256) {
            reader.inclusionProof(i, LEAVES, LEAVES);
            assertThat(reader.expandedCacheBytesHeld()).isLessThanOrEqualTo(3 * ONE_FULL_TILE);
        }
        assertThat(reader.expandedCacheBytesHeld()).isGreaterThan(2 * ONE_FULL_TILE);
    }

    @Test
    void nodeHashes_ofPartialTilesAtOlderSizes_matchTheTreeOfThatSize() throws Exception {
        TileReader reader = new TileReader(directory(dir), ONE_FULL_TILE);
        for (int size : new int[] {LEAVES, 256 * 5 + 10, 256 * 5, 300, 1}) {
            assertThat(reader.rootHash(size, LEAVES)).as("size %d", size).isEqualTo(Merkle.root(leaves.subList(0, size)));
        }
    }

    private static TileReader.Source directory(Path dir) {
        return path -> {
            try {
                return Optional.of(Files.readAllBytes(dir.resolve(path)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        };
    }
}
