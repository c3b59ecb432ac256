package dev.custos.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Ledger} runs. Validated when built; a bad value is refused, never clamped.
 *
 * @param origin the checkpoint origin line, by convention the signing key's name
 * @param signer the checkpoint signing key
 * @param publishInterval how often a new checkpoint is signed; {@link Duration#ZERO} means only on
 *     {@link Ledger#publish()} and {@link Ledger#close()}
 * @param walSegmentBytes size after which the write-ahead log starts a new segment file
 */
public record LedgerOptions(String origin, NoteSigner signer, Duration publishInterval, long walSegmentBytes) {

    /** The default publish interval, one second. */
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofSeconds(1);
    /** The default WAL segment size, 64 MiB. */
    public static final long DEFAULT_WAL_SEGMENT_BYTES = 64L << 20;

    /** Validates every field, naming the bad one. */
    public LedgerOptions {
        Objects.requireNonNull(signer, "signer");
        if (signer.type() != SignatureType.ED25519) {
            throw new IllegalArgumentException("signer must be an Ed25519 note key, got a " + signer.type().label() + " key");
        }
        try {
            new Checkpoint(origin, 0, Merkle.emptyRoot());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("origin: " + e.getMessage(), e);
        }
        if (publishInterval == null || publishInterval.isNegative()) {
            throw new IllegalArgumentException("publishInterval must be zero or positive, got " + publishInterval);
        }
        if (walSegmentBytes < 1 << 16) {
            throw new IllegalArgumentException("walSegmentBytes must be at least 65536, got " + walSegmentBytes);
        }
    }

    /** Defaults: origin = the key name, publish every second, 64 MiB WAL segments. */
    public static LedgerOptions of(NoteSigner signer) {
        return new LedgerOptions(signer.name(), signer, DEFAULT_PUBLISH_INTERVAL, DEFAULT_WAL_SEGMENT_BYTES);
    }

    /** A copy with another origin. */
    public LedgerOptions withOrigin(String value) {
        return new LedgerOptions(value, signer, publishInterval, walSegmentBytes);
    }

    /** A copy with another publish interval. */
    public LedgerOptions withPublishInterval(Duration value) {
        return new LedgerOptions(origin, signer, value, walSegmentBytes);
    }

    /** A copy with another WAL segment size. */
    public LedgerOptions withWalSegmentBytes(long value) {
        return new LedgerOptions(origin, signer, publishInterval, value);
    }
}
