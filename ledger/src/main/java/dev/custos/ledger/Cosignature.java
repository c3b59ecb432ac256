package dev.custos.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A C2SP tlog-cosignature/v1 (Ed25519, signature type 0x04): a witness's statement that, as of
 * {@link #timestamp()}, the checkpoint is the largest consistent tree it has seen for the log.
 *
 * <p>On the wire it is a signed-note signature line
 * {@code — <witness name> base64(key hash || u64 timestamp || Ed25519 signature)}, where the key
 * hash is {@code SHA-256(name || "\n" || 0x04 || public key)[:4]} and the signature covers
 * {@code "cosignature/v1\ntime <timestamp>\n"} followed by the whole checkpoint text.
 *
 * <p>Security guarantees: a value of this type says nothing by itself; only
 * {@link #verifies(Checkpoint, NoteVerifier)} (or {@link SignedCheckpoint#cosignature}) tells
 * whether the witness really signed a checkpoint. {@link #sign} MUST only be called by a witness
 * that has checked the checkpoint's consistency with everything it cosigned before.
 *
 * @param keyName the witness's key name
 * @param keyHash the witness's 4-byte cosigner key hash
 * @param timestamp seconds since the epoch, 0 to 2<sup>63</sup>-1
 * @param signature the 64-byte Ed25519 signature
 */
public record Cosignature(String keyName, int keyHash, long timestamp, byte[] signature) {

    static final int TIMESTAMP_SIZE = 8;
    private static final byte[] HEADER = "cosignature/v1\ntime ".getBytes(StandardCharsets.UTF_8);

    /** Validates every field and copies the signature. */
    public Cosignature {
        String problem = NoteVerifier.nameProblem(keyName);
        if (problem != null) {
            throw new IllegalArgumentException("cosignature key name " + problem);
        }
        if (timestamp < 0) {
            throw new IllegalArgumentException("cosignature timestamp must be 0 to 2^63-1, got " + Long.toUnsignedString(timestamp));
        }
        Objects.requireNonNull(signature, "signature");
        if (signature.length != Ed25519.SIGNATURE_SIZE) {
            throw new IllegalArgumentException("cosignature needs a 64-byte Ed25519 signature, got " + signature.length);
        }
        signature = signature.clone();
    }

    /**
     * Cosigns {@code checkpoint} at {@code time} (truncated to whole seconds).
     *
     * @throws IllegalArgumentException if {@code cosigner} is not a {@link SignatureType#COSIGNATURE_V1}
     *     key or the time is before the epoch
     */
    public static Cosignature sign(Checkpoint checkpoint, NoteSigner cosigner, Instant time) {
        if (cosigner.type() != SignatureType.COSIGNATURE_V1) {
            throw new IllegalArgumentException("key " + cosigner.name() + " is a " + cosigner.type().label()
                    + " key, not a cosignature/v1 key");
        }
        long seconds = time.getEpochSecond();
        if (seconds < 0) {
            throw new IllegalArgumentException("cosignature time before the epoch: " + time);
        }
        byte[] sig = cosigner.signBytes(message(seconds, checkpoint.body().getBytes(StandardCharsets.UTF_8)));
        return new Cosignature(cosigner.name(), cosigner.verifier().keyHash(), seconds, sig);
    }

    /**
     * Reads a cosignature from a note signature line; never throws for bad input. It is not
     * verified: the line only has the right shape (a 72-byte timestamped signature).
     */
    public static Parsed<Cosignature> fromNoteSignature(Note.Signature line) {
        byte[] raw = line.signature();
        if (raw.length != TIMESTAMP_SIZE + Ed25519.SIGNATURE_SIZE) {
            return Parsed.invalid("cosignature", "expected 8 timestamp and 64 signature bytes, got " + raw.length + " bytes");
        }
        long timestamp = ByteBuffer.wrap(raw).getLong();
        if (timestamp < 0) {
            return Parsed.invalid("cosignature timestamp", "above 2^63-1");
        }
        return Parsed.ok(new Cosignature(line.keyName(), line.keyHash(), timestamp,
                Arrays.copyOfRange(raw, TIMESTAMP_SIZE, raw.length)));
    }

    /** The signature line as a note signature, to add to a signed note. */
    public Note.Signature noteSignature() {
        byte[] raw = ByteBuffer.allocate(TIMESTAMP_SIZE + Ed25519.SIGNATURE_SIZE).putLong(timestamp).put(signature).array();
        return new Note.Signature(keyName, keyHash, raw);
    }

    /** The signature line {@code — <name> <base64>\n}, as a witness returns it. */
    public String line() {
        return noteSignature().line();
    }

    /** The time of the cosignature. */
    public Instant time() {
        return Instant.ofEpochSecond(timestamp);
    }

    /**
     * Whether this is {@code witnessKey}'s valid cosignature over {@code checkpoint}.
     *
     * @throws IllegalArgumentException if {@code witnessKey} is not a cosigner key
     */
    public boolean verifies(Checkpoint checkpoint, NoteVerifier witnessKey) {
        requireCosigner(witnessKey);
        return keyName.equals(witnessKey.name()) && keyHash == witnessKey.keyHash()
                && witnessKey.verifies(checkpoint.body().getBytes(StandardCharsets.UTF_8), noteSignature().signature());
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** {@code "cosignature/v1\ntime <timestamp>\n"} followed by the note text: what the witness signs. */
    static byte[] message(long timestamp, byte[] text) {
        byte[] time = (Long.toString(timestamp) + "\n").getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(HEADER.length + time.length + text.length).put(HEADER).put(time).put(text).array();
    }

    static void requireCosigner(NoteVerifier key) {
        if (key.type() != SignatureType.COSIGNATURE_V1) {
            throw new IllegalArgumentException("key " + key.name() + " is a " + key.type().label()
                    + " key, not a witness's cosignature/v1 key");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cosignature c && c.keyName.equals(keyName) && c.keyHash == keyHash
                && c.timestamp == timestamp && Arrays.equals(c.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyName, keyHash, timestamp, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return line().strip();
    }
}
