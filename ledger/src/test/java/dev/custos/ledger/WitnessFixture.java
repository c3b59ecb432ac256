package dev.custos.ledger;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A witness, logs and a settable clock for witness tests. */
final class WitnessFixture {

    static final NoteSigner WITNESS_KEY = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "witness.test/w1", new SecureRandom());
    static final NoteSigner LOG_KEY = NoteSigner.generate("custos.test/ledger", new SecureRandom());
    static final String ORIGIN = LOG_KEY.name();

    private WitnessFixture() {}

    /** A clock tests move by hand. */
    static final class Clock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-04-01T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    /** A ledger with a manual publish, signed by {@link #LOG_KEY}. */
    static Ledger ledger(Path dir) throws LedgerException {
        return Ledger.open(dir, LedgerOptions.of(LOG_KEY).withPublishInterval(Duration.ZERO));
    }

    /** Appends entries {@code tag-from .. tag-(to-1)} and publishes. */
    static SignedCheckpoint grow(Ledger ledger, String tag, long from, long to) throws LedgerException {
        List<byte[]> entries = new ArrayList<>();
        for (long i = from; i < to; i++) {
            entries.add((tag + "-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!entries.isEmpty()) {
            ledger.appendAll(entries);
        }
        return ledger.publish();
    }

    /** A witness in {@code dir} trusting {@link #LOG_KEY} for {@link #ORIGIN}. */
    static Witness witness(Path dir, InstantSource clock) throws LedgerException {
        Witness w = Witness.open(dir, WITNESS_KEY, clock);
        w.trust(TrustedLog.of(LOG_KEY.verifier()));
        return w;
    }

    /** The add-checkpoint body for {@code cp} with a proof from {@code oldSize} taken from {@code ledger}. */
    static byte[] request(Ledger ledger, long oldSize, SignedCheckpoint cp) throws LedgerException {
        ConsistencyProof p = ledger.consistencyProof(oldSize, cp.checkpoint().size());
        return WitnessRequest.format(oldSize, p.path(), cp.note());
    }

    static byte[] request(long oldSize, List<Hash> proof, SignedCheckpoint cp) {
        return WitnessRequest.format(oldSize, proof, cp.note());
    }
}
