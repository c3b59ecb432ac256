package dev.custos.bench;

import dev.custos.ledger.Ledger;
import dev.custos.ledger.LedgerException;
import dev.custos.ledger.LedgerOptions;
import dev.custos.ledger.NoteSigner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds the ledgers the JMH benchmarks read: deterministic entries, so a baseline can hash the very same bytes. */
final class BenchLedgers {

    static final String ORIGIN = "custos.bench/ledger";
    private static final int BATCH = 8192;
    private static final int PUBLISH_EVERY = 1 << 17;

    private BenchLedgers() {}

    /** A fresh signing key for a benchmark's ledger. */
    static NoteSigner signer() {
        return NoteSigner.generate(ORIGIN, new SecureRandom());
    }

    /** Entry {@code i}: {@code size} pseudo-random bytes, the same in every run. */
    static byte[] entry(long i, int size) {
        byte[] e = new byte[size];
        new SplittableRandom(i).nextBytes(e);
        return e;
    }

    /**
     * Opens a ledger in {@code dir} (publishing only when asked), appends {@code size} entries of
     * {@code entryBytes} in batches and publishes a checkpoint over all of them. The caller closes it.
     */
    static Ledger build(Path dir, NoteSigner signer, long size, int entryBytes) throws LedgerException {
        Ledger ledger = Ledger.open(dir, LedgerOptions.of(signer).withPublishInterval(Duration.ZERO));
        try {
            List<byte[]> batch = new ArrayList<>(BATCH);
            for (long i = 0; i < size; i++) {
                batch.add(entry(i, entryBytes));
                if (batch.size() == BATCH || i == size - 1) {
                    ledger.appendAll(batch);
                    batch.clear();
                }
                if ((i + 1) % PUBLISH_EVERY == 0) {
                    ledger.publish(); // bounds the entries waiting for integration
                }
            }
            ledger.publish();
            return ledger;
        } catch (LedgerException | RuntimeException e) {
            ledger.close();
            throw e;
        }
    }
}
