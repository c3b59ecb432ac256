package dev.custos.bench;

import dev.custos.ledger.InclusionProof;
import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.TileReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inclusion proof latency from a ledger directory of {@value #LEAVES} entries (tiles in the page
 * cache), in {@link Mode#SampleTime} so the report has p50/p99:
 * <ul>
 *   <li>{@code ledgerRandomLeaf}: {@link Ledger#inclusionProof} for a uniformly random leaf, through
 *       the ledger's own reader and its tile cache (512 tiles, so most level-0 tiles of this ledger
 *       are not cached and are read and hashed again);</li>
 *   <li>{@code ledgerRecentLeaf}: the same for a leaf among the last 65,536, the common case of a
 *       receipt holder asking soon after appending (those tiles stay cached);</li>
 *   <li>{@code coldReader}: a fresh {@link TileReader} per proof, so every tile on the path is read
 *       from its file and hashed, the worst case.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InclusionProofBench {

    static final int LEAVES = 1 << 20;
    static final int RECENT = 1 << 16;
    static final int ENTRY_BYTES = 200;

    /** An open ledger of {@value #LEAVES} published entries in a temporary directory. */
    @State(Scope.Benchmark)
    public static class Log {
        Path dir;
        Ledger ledger;
        long size;

        @Setup(Level.Trial)
        public void build() throws IOException, LedgerException {
            dir = Files.createTempDirectory("custos-proof-bench-");
            ledger = BenchLedgers.build(dir.resolve("ledger"), BenchLedgers.signer(), LEAVES, ENTRY_BYTES);
            size = ledger.latestCheckpoint().checkpoint().size();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException, LedgerException {
            ledger.close();
            AppendLoad.deleteTree(dir);
        }
    }

    /** Which leaf to prove next. */
    @State(Scope.Thread)
    public static class Leaves {
        final SplittableRandom random = new SplittableRandom(42);
    }

    @Benchmark
    public InclusionProof ledgerRandomLeaf(Log log, Leaves leaves) throws LedgerException {
        return log.ledger.inclusionProof(leaves.random.nextLong(log.size), log.size);
    }

    @Benchmark
    public InclusionProof ledgerRecentLeaf(Log log, Leaves leaves) throws LedgerException {
        return log.ledger.inclusionProof(log.size - 1 - leaves.random.nextLong(RECENT), log.size);
    }

    @Benchmark
    public InclusionProof coldReader(Log log, Leaves leaves) throws LedgerException {
        TileReader reader = TileReader.ofDirectory(log.dir.resolve("ledger"));
        return reader.inclusionProof(leaves.random.nextLong(log.size), log.size, log.size);
    }
}
