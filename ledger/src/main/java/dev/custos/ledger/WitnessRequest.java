package dev.custos.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The body of a C2SP tlog-witness {@code add-checkpoint} request: {@code old <size>}, zero to 63
 * base64 consistency proof lines, an empty line, then the signed checkpoint note.
 *
 * @param oldSize the size the client believes the witness recorded
 * @param proof the consistency proof hashes from {@code oldSize} to the checkpoint's size
 * @param note the signed note, not yet verified
 */
record WitnessRequest(long oldSize, List<Hash> proof, Note note) {

    static final int MAX_PROOF_LINES = 63;

    WitnessRequest {
        proof = List.copyOf(proof);
    }

    /** Formats the request body, as {@link WitnessClient} sends it. */
    static byte[] format(long oldSize, List<Hash> proof, Note note) {
        StringBuilder sb = new StringBuilder("old ").append(oldSize).append('\n');
        for (Hash h : proof) {
            sb.append(h.base64()).append('\n');
        }
        sb.append('\n').append(note.format());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Parses an untrusted body strictly; never throws for bad input. */
    static Parsed<WitnessRequest> parse(byte[] body) {
        int split = indexOfEmptyLine(body);
        if (split < 0) {
            return Parsed.invalid("request", "no empty line between the old size and proof lines and the checkpoint");
        }
        for (int i = 0; i < split; i++) {
            byte b = body[i];
            if ((b < 0x20 && b != '\n') || b >= 0x7f) {
                return Parsed.invalid("request", "non-ASCII or control byte in the old size and proof lines at offset " + i);
            }
        }
        String[] lines = new String(body, 0, split, StandardCharsets.US_ASCII).split("\n", -1);
        if (!lines[0].matches("old (0|[1-9][0-9]{0,18})")) {
            return Parsed.invalid("old size line", "expected 'old <size>' with a canonical decimal size");
        }
        long oldSize;
        try {
            oldSize = Long.parseLong(lines[0].substring(4));
        } catch (NumberFormatException e) {
            return Parsed.invalid("old size line", "size out of range");
        }
        if (lines.length - 1 > MAX_PROOF_LINES) {
            return Parsed.invalid("consistency proof", "more than " + MAX_PROOF_LINES + " lines: " + (lines.length - 1));
        }
        List<Hash> proof = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            byte[] h;
            try {
                h = StrictBase64.decode(lines[i]);
            } catch (IllegalArgumentException e) {
                return Parsed.invalid("consistency proof line " + i, "not base64");
            }
            if (h.length != Hash.SIZE || !Base64.getEncoder().encodeToString(h).equals(lines[i])) {
                return Parsed.invalid("consistency proof line " + i, "not the canonical base64 of 32 bytes");
            }
            proof.add(Hash.wrap(h));
        }
        byte[] noteBytes = java.util.Arrays.copyOfRange(body, split + 2, body.length);
        return switch (Note.parse(noteBytes)) {
            case Parsed.Invalid<Note> bad -> Parsed.invalid("checkpoint note", bad.toString());
            case Parsed.Ok<Note> ok -> Parsed.ok(new WitnessRequest(oldSize, proof, ok.value()));
        };
    }

    /** The index of the first {@code "\n\n"}, or -1. */
    private static int indexOfEmptyLine(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\n' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
