package dev.custos.ledger;

import java.util.Base64;
import java.util.List;

/**
 * A C2SP tlog-checkpoint body: the log's origin, the tree size and the root hash, and optional
 * extension lines. It is what a {@link SignedCheckpoint} signs.
 *
 * @param origin the log's unique origin line, for example {@code custos.example/ledger}
 * @param size the number of leaves
 * @param rootHash the RFC 9162 root hash of those leaves
 * @param extensions extra non-empty lines after the root hash, usually none
 */
public record Checkpoint(String origin, long size, Hash rootHash, List<String> extensions) {

    /** Validates every line. */
    public Checkpoint {
        String problem = lineProblem(origin);
        if (problem != null) {
            throw new IllegalArgumentException("checkpoint origin " + problem);
        }
        if (size < 0) {
            throw new IllegalArgumentException("checkpoint size must not be negative: " + size);
        }
        if (rootHash == null) {
            throw new IllegalArgumentException("checkpoint root hash missing");
        }
        extensions = List.copyOf(extensions);
        for (String e : extensions) {
            problem = lineProblem(e);
            if (problem != null) {
                throw new IllegalArgumentException("checkpoint extension line " + problem);
            }
        }
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, Hash rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** Returns the body text: one line each for origin, size, base64 root hash and extensions. */
    public String body() {
        StringBuilder sb = new StringBuilder()
                .append(origin).append('\n')
                .append(size).append('\n')
                .append(rootHash.base64()).append('\n');
        for (String e : extensions) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /** Signs the body. */
    public SignedCheckpoint sign(NoteSigner signer) {
        return new SignedCheckpoint(this, Note.sign(body(), signer));
    }

    /** Parses an untrusted body strictly (canonical decimal size and base64); never throws for bad input. */
    public static Parsed<Checkpoint> parse(String body) {
        if (body == null || body.isEmpty()) {
            return Parsed.invalid("checkpoint", "empty");
        }
        if (!body.endsWith("\n")) {
            return Parsed.invalid("checkpoint", "does not end with a newline");
        }
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            return Parsed.invalid("checkpoint", "needs origin, size and root hash lines, got " + lines.length + " lines");
        }
        String problem = lineProblem(lines[0]);
        if (problem != null) {
            return Parsed.invalid("origin", problem);
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            return Parsed.invalid("size", "not a canonical non-negative decimal number");
        }
        long size;
        try {
            size = Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            return Parsed.invalid("size", "out of range");
        }
        byte[] root;
        try {
            root = StrictBase64.decode(lines[2]);
        } catch (IllegalArgumentException e) {
            return Parsed.invalid("root hash", "not base64");
        }
        if (root.length != Hash.SIZE || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
            return Parsed.invalid("root hash", "not the canonical base64 of 32 bytes");
        }
        List<String> ext = List.of(lines).subList(3, lines.length);
        for (int i = 0; i < ext.size(); i++) {
            problem = lineProblem(ext.get(i));
            if (problem != null) {
                return Parsed.invalid("line " + (i + 4), problem);
            }
        }
        return Parsed.ok(new Checkpoint(lines[0], size, new Hash(root), ext));
    }

    private static String lineProblem(String line) {
        if (line == null || line.isEmpty()) {
            return "must not be empty";
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
        }
        return null;
    }
}
