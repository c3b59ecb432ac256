package dev.custos.bench;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.NoteVerifier;
import dev.custos.ledger.TileReader;
import dev.custos.ledger.Verifier;
import dev.custos.ledger.VerifyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Verification throughput in leaves per second: the {@link Verifier} over a ledger directory of
 * {@value #LEAVES} entries of 200 bytes (read from the page cache, since the ledger was just
 * written), beside the raw work it cannot avoid, one SHA-256 leaf hash ({@code 0x00 || entry}) of
 * the very same bytes from memory, on one thread and on two.
 *
 * <p>Scores are leaves per second ({@link OperationsPerInvocation}): one invocation verifies or
 * hashes all {@value #LEAVES} leaves.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class VerifyBench {

    static final int LEAVES = 1 << 20;
    static final int ENTRY_BYTES = 200;

    /** A published ledger of {@value #LEAVES} entries in a temporary directory, closed so only files remain. */
    @State(Scope.Benchmark)
    public static class OnDisk {
        Path dir;
        NoteVerifier key;

        @Setup(Level.Trial)
        public void build() throws IOException, LedgerException {
            dir = Files.createTempDirectory("custos-verify-bench-");
            var signer = BenchLedgers.signer();
            key = signer.verifier();
            try (Ledger ledger = BenchLedgers.build(dir.resolve("ledger"), signer, LEAVES, ENTRY_BYTES)) {
                if (ledger.latestCheckpoint().checkpoint().size() != LEAVES) {
                    throw new IllegalStateException("ledger was not built to " + LEAVES + " entries");
                }
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            AppendLoad.deleteTree(dir);
        }
    }

    /** The same entries in one array, for the baseline. */
    @State(Scope.Benchmark)
    public static class InMemory {
        byte[] entries;

        @Setup(Level.Trial)
        public void fill() {
            entries = new byte[LEAVES * ENTRY_BYTES];
            for (int i = 0; i < LEAVES; i++) {
                System.arraycopy(BenchLedgers.entry(i, ENTRY_BYTES), 0, entries, i * ENTRY_BYTES, ENTRY_BYTES);
            }
        }
    }

    /** One digest per benchmark thread. */
    @State(Scope.Thread)
    public static class Digest {
        MessageDigest sha256;
        final byte[] out = new byte[32];

        @Setup(Level.Trial)
        public void create() throws NoSuchAlgorithmException {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
    }

    @Benchmark
    @OperationsPerInvocation(LEAVES)
    public VerifyResult verifier(OnDisk log) throws LedgerException {
        // A fresh reader each time: nothing is served from a previous run's tile cache.
        VerifyResult result = Verifier.verify(TileReader.ofDirectory(log.dir.resolve("ledger")), log.key);
        if (!(result instanceof VerifyResult.Clean clean) || clean.checkpoint().size() != LEAVES) {
            throw new IllegalStateException("verification did not pass: " + result);
        }
        return result;
    }

    @Benchmark
    @OperationsPerInvocation(LEAVES)
    public void rawSha256(InMemory data, Digest digest, Blackhole bh) throws Exception {
        hashAll(data.entries, digest, bh);
    }

    /** The same, on two threads at once: the score is both threads' leaves per second together. */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(LEAVES)
    public void rawSha256TwoThreads(InMemory data, Digest digest, Blackhole bh) throws Exception {
        hashAll(data.entries, digest, bh);
    }

    private static void hashAll(byte[] entries, Digest digest, Blackhole bh) throws Exception {
        MessageDigest md = digest.sha256;
        for (int off = 0; off < entries.length; off += ENTRY_BYTES) {
            md.update((byte) 0x00);
            md.update(entries, off, ENTRY_BYTES);
            md.digest(digest.out, 0, 32);
            bh.consume(digest.out[0]);
        }
    }
}
