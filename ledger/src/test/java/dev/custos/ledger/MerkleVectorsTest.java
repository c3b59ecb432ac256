package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleVectorsTest {

    private final List<byte[]> leaves = new ArrayList<>();
    private final List<String[]> roots = new ArrayList<>();
    private final List<String[]> nodes = new ArrayList<>();

    MerkleVectorsTest() {
        for (String line : Vectors.lines("rfc6962-merkle.txt")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ", -1);
            switch (f[0]) {
                case "leaf" -> leaves.add(HexFormat.of().parseHex(f.length > 2 ? f[2] : ""));
                case "root" -> roots.add(f);
                case "node" -> nodes.add(f);
                default -> throw new IllegalStateException("unknown vector line " + line);
            }
        }
    }

    private List<Hash> leafHashes() {
        return leaves.stream().map(Merkle::leafHash).toList();
    }

    @Test
    void vectors_areAllPresent() {
        assertThat(leaves).hasSize(8);
        assertThat(roots).hasSize(9);
        assertThat(nodes).hasSize(15);
    }

    @Test
    void rootHash_matchesVectorsForEverySize() {
        List<Hash> hashes = leafHashes();
        for (String[] r : roots) {
            int size = Integer.parseInt(r[1]);
            assertThat(Merkle.root(hashes.subList(0, size)).hex()).as("root %d", size).isEqualTo(r[2]);
        }
    }

    @Test
    void nodeHashes_matchVectors() throws Exception {
        Merkle.NodeSource src = Merkle.inMemory(leafHashes());
        for (String[] n : nodes) {
            assertThat(src.node(Integer.parseInt(n[1]), Long.parseLong(n[2])).hex())
                    .as("node %s %s", n[1], n[2]).isEqualTo(n[3]);
        }
    }

    @Test
    void treeEdge_rootMatchesVectors() throws Exception {
        TreeEdge edge = new TreeEdge();
        List<Hash> hashes = leafHashes();
        assertThat(edge.root().hex()).isEqualTo(roots.get(0)[2]);
        for (int i = 0; i < hashes.size(); i++) {
            edge.append(hashes.get(i), (l, x, h) -> {});
            assertThat(edge.root().hex()).isEqualTo(roots.get(i + 1)[2]);
        }
    }

    @Test
    void proofs_betweenEveryVectorSize_verify() {
        List<Hash> hashes = leafHashes();
        for (int n = 1; n <= 8; n++) {
            Hash root = Hash.ofHex(roots.get(n)[2]);
            for (int i = 0; i < n; i++) {
                assertThat(InclusionProof.fromLeaves(hashes, i, n).verifies(hashes.get(i), root)).isTrue();
            }
            for (int m = 0; m <= n; m++) {
                Hash old = Hash.ofHex(roots.get(m)[2]);
                assertThat(ConsistencyProof.fromLeaves(hashes, m, n).verifies(old, root)).as("%d->%d", m, n).isTrue();
            }
        }
    }
}
