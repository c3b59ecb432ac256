package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ProofPropertiesTest {

    private static List<Hash> leaves(int n) {
        List<Hash> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Merkle.leafHash(ByteBuffer.allocate(8).putLong(i * 7919L + n).array()));
        }
        return out;
    }

    private static Hash flip(Hash h, int bit) {
        byte[] b = h.bytes();
        b[(bit / 8) % Hash.SIZE] ^= (byte) (1 << (bit % 8));
        return new Hash(b);
    }

    private static List<Hash> flipPath(List<Hash> path, int which, int bit) {
        List<Hash> p = new ArrayList<>(path);
        int i = which % p.size();
        p.set(i, flip(p.get(i), bit));
        return p;
    }

    @Property(tries = 300)
    void inclusionProof_ofRandomTree_verifies(@ForAll @IntRange(min = 1, max = 700) int size,
                                              @ForAll @IntRange(min = 0, max = 699) int rawIndex) {
        int index = rawIndex % size;
        List<Hash> l = leaves(size);
        InclusionProof p = InclusionProof.fromLeaves(l, index, size);
        assertThat(p.verifies(l.get(index), Merkle.root(l))).isTrue();
    }

    @Property(tries = 300)
    void inclusionProof_withFlippedBit_fails(@ForAll @IntRange(min = 2, max = 700) int size,
                                             @ForAll @IntRange(min = 0, max = 699) int rawIndex,
                                             @ForAll @IntRange(min = 0, max = 255) int bit,
                                             @ForAll @IntRange(min = 0, max = 20) int which) {
        int index = rawIndex % size;
        List<Hash> l = leaves(size);
        Hash root = Merkle.root(l);
        InclusionProof p = InclusionProof.fromLeaves(l, index, size);
        InclusionProof bad = new InclusionProof(index, size, flipPath(p.path(), which, bit));
        assertThat(bad.verifies(l.get(index), root)).isFalse();
        assertThat(p.verifies(flip(l.get(index), bit), root)).isFalse();
        assertThat(p.verifies(l.get(index), flip(root, bit))).isFalse();
    }

    @Property(tries = 300)
    void inclusionProof_withOtherIndexOrSize_fails(@ForAll @IntRange(min = 2, max = 700) int size,
                                                   @ForAll @IntRange(min = 0, max = 699) int rawIndex,
                                                   @ForAll @IntRange(min = 1, max = 699) int delta,
                                                   @ForAll @IntRange(min = 1, max = 1000) int otherSize) {
        int index = rawIndex % size;
        int other = (index + 1 + delta % (size - 1)) % size;
        List<Hash> l = leaves(size);
        Hash root = Merkle.root(l);
        InclusionProof p = InclusionProof.fromLeaves(l, index, size);
        assertThat(new InclusionProof(other, size, p.path()).verifies(l.get(index), root)).isFalse();
        if (otherSize != size && index < otherSize) {
            // Against the root of a tree of the other size, the proof MUST fail (the RFC algorithm does not
            // bind the size into hashes, so the claim is only meaningful with that tree's own root).
            List<Hash> big = leaves(Math.max(size, otherSize)).subList(0, Math.max(size, otherSize));
            List<Hash> sameLeaves = new ArrayList<>(l);
            sameLeaves.addAll(big.subList(Math.min(size, big.size()), big.size()));
            Hash otherRoot = Merkle.root(sameLeaves.subList(0, otherSize));
            InclusionProof honest = InclusionProof.fromLeaves(sameLeaves, index, otherSize);
            Assume.that(!honest.path().equals(p.path()));
            assertThat(new InclusionProof(index, otherSize, p.path()).verifies(l.get(index), otherRoot)).isFalse();
        }
        // a proof MUST NOT verify with a path that is one hash too short or too long
        if (!p.path().isEmpty()) {
            assertThat(new InclusionProof(index, size, p.path().subList(1, p.path().size()))
                    .verifies(l.get(index), root)).isFalse();
        }
        List<Hash> longer = new ArrayList<>(p.path());
        longer.add(root);
        assertThat(new InclusionProof(index, size, longer).verifies(l.get(index), root)).isFalse();
    }

    @Property(tries = 300)
    void consistencyProof_ofRandomTrees_verifies(@ForAll @IntRange(min = 0, max = 700) int rawM,
                                                 @ForAll @IntRange(min = 1, max = 700) int n) {
        int m = rawM % (n + 1);
        List<Hash> l = leaves(n);
        ConsistencyProof p = ConsistencyProof.fromLeaves(l, m, n);
        assertThat(p.verifies(Merkle.root(l.subList(0, m)), Merkle.root(l))).isTrue();
    }

    @Property(tries = 300)
    void consistencyProof_withFlippedBit_fails(@ForAll @IntRange(min = 0, max = 700) int rawM,
                                               @ForAll @IntRange(min = 2, max = 700) int n,
                                               @ForAll @IntRange(min = 0, max = 255) int bit,
                                               @ForAll @IntRange(min = 0, max = 20) int which) {
        int m = 1 + rawM % (n - 1);
        List<Hash> l = leaves(n);
        Hash oldRoot = Merkle.root(l.subList(0, m));
        Hash newRoot = Merkle.root(l);
        ConsistencyProof p = ConsistencyProof.fromLeaves(l, m, n);
        assertThat(new ConsistencyProof(m, n, flipPath(p.path(), which, bit)).verifies(oldRoot, newRoot)).isFalse();
        assertThat(p.verifies(flip(oldRoot, bit), newRoot)).isFalse();
        assertThat(p.verifies(oldRoot, flip(newRoot, bit))).isFalse();
    }

    @Property(tries = 300)
    void consistencyProof_withOtherSizes_fails(@ForAll @IntRange(min = 0, max = 700) int rawM,
                                               @ForAll @IntRange(min = 2, max = 700) int n,
                                               @ForAll @IntRange(min = 0, max = 700) int rawM2,
                                               @ForAll @IntRange(min = 2, max = 700) int n2) {
        int m = 1 + rawM % (n - 1);
        int m2 = 1 + rawM2 % n2;
        Assume.that(m2 != m || n2 != n);
        List<Hash> l = leaves(Math.max(n, n2));
        ConsistencyProof p = ConsistencyProof.fromLeaves(l, m, n);
        // Reinterpreted for other sizes, against the roots of those sizes, the proof MUST fail unless it
        // happens to be the honest proof for them.
        Assume.that(!ConsistencyProof.fromLeaves(l, m2, n2).path().equals(p.path()));
        assertThat(new ConsistencyProof(m2, n2, p.path())
                .verifies(Merkle.root(l.subList(0, m2)), Merkle.root(l.subList(0, n2)))).isFalse();
    }

    @Property(tries = 200)
    void consistencyProof_betweenDivergentTrees_fails(@ForAll @IntRange(min = 0, max = 500) int rawM,
                                                      @ForAll @IntRange(min = 2, max = 500) int n,
                                                      @ForAll @IntRange(min = 0, max = 499) int rawChanged) {
        int m = 1 + rawM % (n - 1);
        int changed = rawChanged % m;
        List<Hash> l = leaves(n);
        Hash oldRoot = Merkle.root(l.subList(0, m));
        List<Hash> forked = new ArrayList<>(l);
        forked.set(changed, flip(forked.get(changed), 3));
        ConsistencyProof p = ConsistencyProof.fromLeaves(forked, m, n);
        assertThat(p.verifies(oldRoot, Merkle.root(forked))).isFalse();
    }
}
