package dev.custos.ledger;

import java.util.Objects;

/**
 * A log a witness cosigns for: the checkpoint origin it is identified by and the Ed25519 note key
 * its checkpoints must be signed with. One line of a witness's {@code logs.conf}:
 * {@code <vkey>} when the origin is the key name (the Custos default), or {@code <vkey> <origin>}.
 *
 * @param origin the checkpoint origin line
 * @param key the log's {@link SignatureType#ED25519} verifier key
 */
public record TrustedLog(String origin, NoteVerifier key) {

    /** Validates the origin as a checkpoint origin line and requires a log (not a cosigner) key. */
    public TrustedLog {
        Objects.requireNonNull(key, "key");
        if (key.type() != SignatureType.ED25519) {
            throw new IllegalArgumentException("log key " + key.name() + " is a " + key.type().label()
                    + " key; a log signs with an Ed25519 note key");
        }
        try {
            new Checkpoint(origin, 0, Merkle.emptyRoot());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log origin: " + e.getMessage(), e);
        }
    }

    /** A log whose origin is its key's name. */
    public static TrustedLog of(NoteVerifier key) {
        return new TrustedLog(key.name(), key);
    }

    /**
     * Parses {@code <vkey>} or {@code <vkey> <origin>} (the origin is the rest of the line and may
     * contain spaces); never throws for bad input.
     */
    public static Parsed<TrustedLog> parse(String line) {
        if (line == null || line.isBlank()) {
            return Parsed.invalid("log", "empty; expected <vkey> or <vkey> <origin>");
        }
        String text = line.strip();
        int sp = text.indexOf(' ');
        String vkey = sp < 0 ? text : text.substring(0, sp);
        return switch (NoteVerifier.parse(vkey)) {
            case Parsed.Invalid<NoteVerifier> bad -> Parsed.relay(bad);
            case Parsed.Ok<NoteVerifier> ok -> {
                String origin = sp < 0 ? ok.value().name() : text.substring(sp + 1);
                try {
                    yield Parsed.ok(new TrustedLog(origin, ok.value()));
                } catch (IllegalArgumentException e) {
                    yield Parsed.invalid("log", e.getMessage());
                }
            }
        };
    }

    /** The {@code logs.conf} line, without the newline. */
    public String line() {
        return origin.equals(key.name()) ? key.encoded() : key.encoded() + " " + origin;
    }
}
