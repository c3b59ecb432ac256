package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierFaultTest {

    static final int SIZE = 600;

    @TempDir
    static Path root;

    static Map<String, byte[]> files;
    static Map<String, byte[]> filesAt300;
    static Checkpoint cp300;
    static Checkpoint cp600;

    @BeforeAll
    static void buildLog() throws Exception {
        Path dir = root.resolve("log");
        try (Ledger ledger = Ledger.open(dir, TestLogs.manual())) {
            ledger.appendAll(TestLogs.entries(0, 300));
            cp300 = ledger.publish().checkpoint();
            filesAt300 = snapshot(dir);
            ledger.appendAll(TestLogs.entries(300, SIZE));
            cp600 = ledger.publish().checkpoint();
        }
        files = snapshot(dir);
    }

    static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> m = new HashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    static TileReader reader(Map<String, byte[]> m) {
        return TileReader.of(path -> Optional.ofNullable(m.get(path)).map(byte[]::clone));
    }

    static VerifyResult verify(Map<String, byte[]> m, Checkpoint trusted) throws LedgerException {
        return Verifier.verify(reader(m), TestLogs.SIGNER.verifier(), Optional.ofNullable(trusted), (a, b) -> {});
    }

    static Map<String, byte[]> flipped(String path, int offset, int bit) {
        Map<String, byte[]> m = new HashMap<>(files);
        byte[] b = m.get(path).clone();
        b[offset] ^= (byte) (1 << bit);
        m.put(path, b);
        return m;
    }

    static int[] offsets(int length, long seed) {
        Random r = new Random(seed);
        int[] out = new int[40];
        out[0] = 0;
        out[1] = length - 1;
        for (int i = 2; i < out.length; i++) {
            out[i] = r.nextInt(length);
        }
        return out;
    }

    static VerifyResult.Failure assertFailure(VerifyResult r) {
        assertThat(r).isInstanceOf(VerifyResult.Failure.class);
        return (VerifyResult.Failure) r;
    }

    @Test
    void cleanLog_verifies() throws Exception {
        assertThat(verify(files, null)).isEqualTo(new VerifyResult.Clean(cp600));
        assertThat(verify(files, cp300)).isInstanceOf(VerifyResult.Clean.class);
        assertThat(verify(files, cp600)).isInstanceOf(VerifyResult.Clean.class);
    }

    @Test
    void byteFlip_inLevel0Tile_isReportedAtItsLeaf() throws Exception {
        for (String path : List.of("tile/0/000", "tile/0/001", "tile/0/002.p/88")) {
            long base = Long.parseLong(path.substring(7, 10)) * 256;
            for (int off : offsets(files.get(path).length, path.hashCode())) {
                VerifyResult.Failure f = assertFailure(verify(flipped(path, off, off % 8), null));
                assertThat(f.problem()).as("%s@%d", path, off).isEqualTo(VerifyResult.Problem.HASH_MISMATCH);
                assertThat(f.firstBadIndex()).as("%s@%d", path, off).hasValue(base + off / 32);
                assertThat(f.resource()).isEqualTo(path);
                assertThat(f.expected()).isPresent();
                assertThat(f.found()).isPresent();
            }
        }
    }

    @Test
    void byteFlip_inLevel1Tile_isReportedAtFirstLeafOfThatSubtree() throws Exception {
        String path = "tile/1/000.p/2";
        for (int off = 0; off < 64; off++) {
            VerifyResult.Failure f = assertFailure(verify(flipped(path, off, 3), null));
            assertThat(f.problem()).isEqualTo(VerifyResult.Problem.HASH_MISMATCH);
            assertThat(f.firstBadIndex()).hasValue((off / 32) * 256L);
        }
    }

    @Test
    void byteFlip_inEntryBundle_isReportedAtThatEntry() throws Exception {
        for (String path : List.of("tile/entries/000", "tile/entries/002.p/88")) {
            byte[] bundle = files.get(path);
            long base = Long.parseLong(path.substring(13, 16)) * 256;
            long[] entryAt = new long[bundle.length];
            ByteBuffer b = ByteBuffer.wrap(bundle);
            for (long i = base; b.hasRemaining(); i++) {
                int start = b.position();
                int len = Short.toUnsignedInt(b.getShort());
                b.position(b.position() + len);
                for (int k = start; k < b.position(); k++) {
                    entryAt[k] = i;
                }
            }
            for (int off : offsets(bundle.length, path.hashCode())) {
                for (int bit : new int[] {0, 7}) {
                    VerifyResult.Failure f = assertFailure(verify(flipped(path, off, bit), null));
                    assertThat(f.problem()).as("%s@%d", path, off)
                            .isIn(VerifyResult.Problem.HASH_MISMATCH, VerifyResult.Problem.ENTRIES_MALFORMED);
                    assertThat(f.firstBadIndex()).as("%s@%d bit %d: %s", path, off, bit, f).hasValue(entryAt[off]);
                }
            }
        }
    }

    @Test
    void byteFlip_anywhereInCheckpoint_isDetected() throws Exception {
        byte[] cp = files.get("checkpoint");
        for (int off = 0; off < cp.length; off++) {
            VerifyResult.Failure f = assertFailure(verify(flipped("checkpoint", off, off % 8), null));
            assertThat(f.problem()).as("offset %d", off)
                    .isIn(VerifyResult.Problem.CHECKPOINT_MALFORMED, VerifyResult.Problem.CHECKPOINT_SIGNATURE);
        }
    }

    @Test
    void missingBundleOrTile_isReportedAtItsFirstLeaf() throws Exception {
        Map<String, byte[]> m = new HashMap<>(files);
        m.remove("tile/entries/001");
        VerifyResult.Failure f = assertFailure(verify(m, null));
        assertThat(f.problem()).isEqualTo(VerifyResult.Problem.ENTRIES_MISSING);
        assertThat(f.firstBadIndex()).hasValue(256);

        m = new HashMap<>(files);
        m.remove("tile/0/002.p/88");
        f = assertFailure(verify(m, null));
        assertThat(f.problem()).isEqualTo(VerifyResult.Problem.TILE_MISSING);
        assertThat(f.firstBadIndex()).hasValue(512);
    }

    @Test
    void truncatedBundle_isReportedAtFirstMissingEntry() throws Exception {
        Map<String, byte[]> m = new HashMap<>(files);
        byte[] b = m.get("tile/entries/002.p/88");
        int cut = 0;
        ByteBuffer buf = ByteBuffer.wrap(b);
        for (int i = 0; i < 10; i++) {
            cut += 2 + Short.toUnsignedInt(buf.getShort(cut));
        }
        m.put("tile/entries/002.p/88", java.util.Arrays.copyOf(b, cut));
        VerifyResult.Failure f = assertFailure(verify(m, null));
        assertThat(f.problem()).isEqualTo(VerifyResult.Problem.ENTRIES_MALFORMED);
        assertThat(f.firstBadIndex()).hasValue(512 + 10);
    }

    @Test
    void rollback_toOlderSignedState_isDetectedAgainstTrustedCheckpoint() throws Exception {
        assertThat(verify(filesAt300, null)).isInstanceOf(VerifyResult.Clean.class);
        VerifyResult.Failure f = assertFailure(verify(filesAt300, cp600));
        assertThat(f.problem()).isEqualTo(VerifyResult.Problem.ROLLBACK);
        assertThat(f.firstBadIndex()).hasValue(300);
    }

    @Test
    void rewrittenHistory_signedAgain_isInconsistentWithTrustedCheckpoint(@TempDir Path other) throws Exception {
        try (Ledger ledger = Ledger.open(other, TestLogs.manual())) {
            List<byte[]> forged = TestLogs.entries(0, SIZE);
            forged.set(100, "rewritten".getBytes());
            ledger.appendAll(forged);
            ledger.publish();
        }
        Map<String, byte[]> m = snapshot(other);
        assertThat(verify(m, null)).isInstanceOf(VerifyResult.Clean.class);
        VerifyResult.Failure f = assertFailure(verify(m, cp300));
        assertThat(f.problem()).isEqualTo(VerifyResult.Problem.INCONSISTENT_WITH_TRUSTED);
        assertThat(f.expected()).hasValue(cp300.rootHash());
    }

    @Test
    void trustedCheckpointOfAnotherOrigin_isInconsistent() throws Exception {
        Checkpoint foreign = new Checkpoint("another.example/log", 1, cp300.rootHash());
        assertThat(assertFailure(verify(files, foreign)).problem()).isEqualTo(VerifyResult.Problem.INCONSISTENT_WITH_TRUSTED);
    }

    @Test
    void checkpointByAnotherKey_isSignatureFailure() throws Exception {
        NoteSigner other = NoteSigner.generate("custos.test/ledger", new java.security.SecureRandom());
        Map<String, byte[]> m = new HashMap<>(files);
        m.put("checkpoint", cp600.sign(other).bytes());
        assertThat(assertFailure(verify(m, null)).problem()).isEqualTo(VerifyResult.Problem.CHECKPOINT_SIGNATURE);
    }

    @Test
    void verifier_readsAfterPartialTilesAreDeleted_viaFullTiles() throws Exception {
        // Readers of an old checkpoint fall back to the full tile once partials are gone.
        Map<String, byte[]> m = new HashMap<>(files);
        m.put("checkpoint", filesAt300.get("checkpoint"));
        m.keySet().removeIf(p -> p.startsWith("tile/0/001.p/") || p.startsWith("tile/entries/001.p/"));
        assertThat(verify(m, null)).isEqualTo(new VerifyResult.Clean(cp300));
    }

    @Test
    void byteFlips_inLargeLog_reportFirstBadIndexAtEveryTileLevel(@TempDir Path big) throws Exception {
        try (Ledger ledger = Ledger.open(big, TestLogs.manual())) {
            for (int i = 0; i < 66_000; i += 6_000) {
                ledger.appendAll(TestLogs.entries(i, Math.min(66_000, i + 6_000)));
            }
            ledger.publish();
        }
        Map<String, byte[]> m = snapshot(big);
        assertThat(verify(m, null)).isInstanceOf(VerifyResult.Clean.class);
        record Flip(String path, int offset, long expectedIndex) {}
        List<Flip> flips = List.of(
                new Flip("tile/0/100", 32 * 7 + 3, 100 * 256 + 7),
                new Flip("tile/0/257.p/208", 32 * 200, 257 * 256 + 200),
                new Flip("tile/1/000", 32 * 42 + 31, 42 * 256),
                new Flip("tile/1/001.p/1", 0, 65_536),
                new Flip("tile/2/000.p/1", 9, 0));
        for (Flip f : flips) {
            Map<String, byte[]> bad = new HashMap<>(m);
            byte[] b = bad.get(f.path()).clone();
            b[f.offset()] ^= 0x10;
            bad.put(f.path(), b);
            VerifyResult.Failure failure = assertFailure(verify(bad, null));
            assertThat(failure.problem()).as(f.path()).isEqualTo(VerifyResult.Problem.HASH_MISMATCH);
            assertThat(failure.firstBadIndex()).as(f.path()).hasValue(f.expectedIndex());
            assertThat(failure.resource()).isEqualTo(f.path());
        }
    }
}
