package dev.custos.ledger;

/**
 * The kind of signature a signed-note key makes: the signature type byte of the C2SP signed-note key
 * formats, which is also hashed into the key's 4-byte key hash. The same Ed25519 key pair gives a
 * different key hash, and signatures over a different message, under each type, so a log key can
 * never be mistaken for a witness key or the other way round.
 */
public enum SignatureType {
    /** Type 0x01: a plain Ed25519 signature over the note text; what a log signs checkpoints with. */
    ED25519((byte) 0x01, "Ed25519 note"),
    /**
     * Type 0x04: a C2SP tlog-cosignature/v1, a timestamped Ed25519 signature over
     * {@code "cosignature/v1\ntime <seconds>\n"} followed by the checkpoint; what a witness signs with.
     */
    COSIGNATURE_V1((byte) 0x04, "cosignature/v1");

    private final byte id;
    private final String label;

    SignatureType(byte id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The signature type byte. */
    byte id() {
        return id;
    }

    /** Words for error messages: "Ed25519 note" or "cosignature/v1". */
    String label() {
        return label;
    }

    /** The type with this byte, or {@code null}. */
    static SignatureType of(byte id) {
        for (SignatureType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
