package dev.custos.ledger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A checkpoint together with the signed note that carries it, as published in the {@code checkpoint}
 * file of a tlog-tiles log: the log's signature and, once witnessed, witness cosignatures
 * (C2SP tlog-cosignature) as further signature lines.
 *
 * @param checkpoint the parsed body
 * @param note the signed note whose text is {@code checkpoint.body()}
 */
public record SignedCheckpoint(Checkpoint checkpoint, Note note) {

    /** Requires the note text to be exactly the checkpoint body. */
    public SignedCheckpoint {
        if (!note.text().equals(checkpoint.body())) {
            throw new IllegalArgumentException("note text is not the checkpoint body");
        }
    }

    /** Returns the signed note in its wire format. */
    public String text() {
        return note.format();
    }

    /** Returns the wire format as UTF-8 bytes. */
    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Returns {@code witnessKey}'s valid cosignature on this checkpoint, if the note carries one
     * (the newest, if it carries several).
     *
     * @throws IllegalArgumentException if {@code witnessKey} is not a cosigner key
     */
    public Optional<Cosignature> cosignature(NoteVerifier witnessKey) {
        Cosignature.requireCosigner(witnessKey);
        Optional<Cosignature> best = Optional.empty();
        for (Note.Signature s : note.signatures()) {
            if (s.keyName().equals(witnessKey.name()) && s.keyHash() == witnessKey.keyHash()
                    && Cosignature.fromNoteSignature(s) instanceof Parsed.Ok<Cosignature> ok
                    && ok.value().verifies(checkpoint, witnessKey)
                    && (best.isEmpty() || best.get().timestamp() < ok.value().timestamp())) {
                best = Optional.of(ok.value());
            }
        }
        return best;
    }

    /**
     * Returns this checkpoint with {@code cosignature} added to its note (replacing an earlier
     * cosignature by the same witness), as a log serves its witnessed checkpoint.
     *
     * @throws IllegalArgumentException if the cosignature is not {@code witnessKey}'s valid
     *     cosignature over this checkpoint: nothing unverified is ever merged
     */
    public SignedCheckpoint withCosignature(Cosignature cosignature, NoteVerifier witnessKey) {
        if (!cosignature.verifies(checkpoint, witnessKey)) {
            throw new IllegalArgumentException("not a valid cosignature by " + witnessKey.name()
                    + " over " + checkpoint.origin() + " at size " + checkpoint.size());
        }
        return new SignedCheckpoint(checkpoint, note.withSignatures(List.of(cosignature.noteSignature())));
    }

    /**
     * Parses an untrusted signed checkpoint and requires a valid signature by {@code verifier}, the
     * log's {@link SignatureType#ED25519} key. The invalid result names the field: {@code note},
     * {@code signature}, or a checkpoint field; a cosigner key is an invalid {@code verifier key}.
     */
    public static Parsed<SignedCheckpoint> parse(byte[] bytes, NoteVerifier verifier) {
        return switch (Note.parse(bytes)) {
            case Parsed.Invalid<Note> bad -> Parsed.relay(bad);
            case Parsed.Ok<Note> ok -> fromNote(ok.value(), verifier);
        };
    }

    /** As {@link #parse(byte[], NoteVerifier)} for text. */
    public static Parsed<SignedCheckpoint> parse(String text, NoteVerifier verifier) {
        return switch (Note.parse(text)) {
            case Parsed.Invalid<Note> bad -> Parsed.relay(bad);
            case Parsed.Ok<Note> ok -> fromNote(ok.value(), verifier);
        };
    }

    private static Parsed<SignedCheckpoint> fromNote(Note note, NoteVerifier verifier) {
        if (verifier.type() != SignatureType.ED25519) {
            return Parsed.invalid("verifier key", verifier.name() + " is a " + verifier.type().label()
                    + " key; a checkpoint is verified with the log's Ed25519 note key");
        }
        if (!note.isSignedBy(verifier)) {
            return Parsed.invalid("signature", "no valid signature by " + verifier.name() + "+"
                    + java.util.HexFormat.of().toHexDigits(verifier.keyHash()));
        }
        return switch (Checkpoint.parse(note.text())) {
            case Parsed.Invalid<Checkpoint> bad -> Parsed.relay(bad);
            case Parsed.Ok<Checkpoint> ok -> Parsed.ok(new SignedCheckpoint(ok.value(), note));
        };
    }
}
