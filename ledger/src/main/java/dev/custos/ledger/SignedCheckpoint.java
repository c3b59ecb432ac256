package dev.custos.ledger;

import java.nio.charset.StandardCharsets;

/**
 * A checkpoint together with the signed note that carries it, as published in the {@code checkpoint}
 * file of a tlog-tiles log.
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
     * Parses an untrusted signed checkpoint and requires a valid signature by {@code verifier}.
     * The invalid result names the field: {@code note}, {@code signature}, or a checkpoint field.
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
