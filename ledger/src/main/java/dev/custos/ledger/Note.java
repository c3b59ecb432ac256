package dev.custos.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP signed note: UTF-8 text ending in a newline, an empty line, then one or more signature
 * lines {@code — <key name> <base64(key hash || signature)>}.
 *
 * <p>Security guarantees: {@link #isSignedBy} MUST return {@code true} only if a signature line
 * carries the verifier's name and key hash and its Ed25519 signature over the exact text verifies
 * (for a {@link SignatureType#COSIGNATURE_V1} key: over the timestamped cosigned message of the
 * text). Signature lines by unknown keys are kept but never trusted.
 *
 * @param text the signed text, ending in {@code '\n'}
 * @param signatures the signature lines, at least one, at most 100
 */
public record Note(String text, List<Signature> signatures) {

    private static final String SIG_PREFIX = "\u2014 ";
    private static final int MAX_SIGNATURES = 100;

    /**
     * One signature line.
     *
     * @param keyName the name of the key that signed
     * @param keyHash the 4-byte key hash, big-endian
     * @param signature the signature bytes (64 for Ed25519)
     */
    public record Signature(String keyName, int keyHash, byte[] signature) {
        /** Validates the name and copies the bytes. */
        public Signature {
            String problem = NoteVerifier.nameProblem(keyName);
            if (problem != null) {
                throw new IllegalArgumentException("signature key name " + problem);
            }
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        String line() {
            byte[] b = new byte[4 + signature.length];
            ByteBuffer.wrap(b).putInt(keyHash).put(signature);
            return SIG_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(b) + "\n";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && s.keyName.equals(keyName) && s.keyHash == keyHash
                    && Arrays.equals(s.signature, signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(keyName, keyHash, Arrays.hashCode(signature));
        }

        @Override
        public String toString() {
            return line().strip();
        }
    }

    /** Validates the text and copies the signatures. */
    public Note {
        String problem = textProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException("note text " + problem);
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("a note needs 1 to " + MAX_SIGNATURES + " signatures, got " + signatures.size());
        }
    }

    /**
     * Signs {@code text} with {@code signer}.
     *
     * @throws IllegalArgumentException if the text is not a valid note text, or the signer is a
     *     cosigner key (a cosignature is made with {@link Cosignature#sign})
     */
    public static Note sign(String text, NoteSigner signer) {
        if (signer.type() != SignatureType.ED25519) {
            throw new IllegalArgumentException("key " + signer.name() + " is a " + signer.type().label()
                    + " key; cosignatures are made with Cosignature.sign");
        }
        String problem = textProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException("note text " + problem);
        }
        byte[] sig = signer.signBytes(text.getBytes(StandardCharsets.UTF_8));
        return new Note(text, List.of(new Signature(signer.name(), signer.verifier().keyHash(), sig)));
    }

    /**
     * Returns this note with {@code more} signature lines added after its own. A line whose key name
     * and key hash are already present replaces the earlier one (a witness's newer cosignature
     * replaces its older one); nothing is verified here.
     *
     * @throws IllegalArgumentException if the note would have more than 100 signatures
     */
    public Note withSignatures(Collection<Signature> more) {
        List<Signature> merged = new ArrayList<>(signatures);
        for (Signature s : more) {
            merged.removeIf(old -> old.keyName().equals(s.keyName()) && old.keyHash() == s.keyHash());
            merged.add(s);
        }
        return new Note(text, merged);
    }

    /** Returns the note in its wire format: text, empty line, signature lines. */
    public String format() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (Signature s : signatures) {
            sb.append(s.line());
        }
        return sb.toString();
    }

    /** Returns the wire format as UTF-8 bytes. */
    public byte[] formatBytes() {
        return format().getBytes(StandardCharsets.UTF_8);
    }

    /** Returns whether a signature by {@code verifier} over the text is present and valid. */
    public boolean isSignedBy(NoteVerifier verifier) {
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        for (Signature s : signatures) {
            if (s.keyName().equals(verifier.name()) && s.keyHash() == verifier.keyHash()
                    && verifier.verifies(msg, s.signature)) {
                return true;
            }
        }
        return false;
    }

    /** Parses untrusted bytes; invalid UTF-8 is an error, never replaced. */
    public static Parsed<Note> parse(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return parse(s);
        } catch (CharacterCodingException e) {
            return Parsed.invalid("note", "is not valid UTF-8");
        }
    }

    /** Parses an untrusted note; never throws for bad input. */
    public static Parsed<Note> parse(String s) {
        if (s == null) {
            return Parsed.invalid("note", "missing");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\n') || c == 0x7f || Character.isSurrogate(c) && !validSurrogate(s, i)) {
                return Parsed.invalid("note", "contains a control character at offset " + i);
            }
        }
        int split = s.lastIndexOf("\n\n");
        if (split < 0) {
            return Parsed.invalid("note", "has no empty line before the signatures");
        }
        String text = s.substring(0, split + 1);
        String sigs = s.substring(split + 2);
        if (sigs.isEmpty() || !sigs.endsWith("\n")) {
            return Parsed.invalid("signatures", "missing or not ending in a newline");
        }
        List<Signature> list = new ArrayList<>();
        int lineNo = 0;
        for (String line : sigs.substring(0, sigs.length() - 1).split("\n", -1)) {
            lineNo++;
            String field = "signature line " + lineNo;
            if (!line.startsWith(SIG_PREFIX)) {
                return Parsed.invalid(field, "does not start with an em dash and a space");
            }
            String rest = line.substring(SIG_PREFIX.length());
            int sp = rest.indexOf(' ');
            if (sp < 0) {
                return Parsed.invalid(field, "expected '<name> <base64 signature>'");
            }
            String name = rest.substring(0, sp);
            String b64 = rest.substring(sp + 1);
            String nameProblem = NoteVerifier.nameProblem(name);
            if (nameProblem != null) {
                return Parsed.invalid(field, "key name " + nameProblem);
            }
            byte[] raw;
            try {
                raw = StrictBase64.decode(b64);
            } catch (IllegalArgumentException e) {
                return Parsed.invalid(field, "signature is not base64");
            }
            if (b64.isEmpty() || raw.length < 5) {
                return Parsed.invalid(field, "signature is too short");
            }
            ByteBuffer bb = ByteBuffer.wrap(raw);
            int keyHash = bb.getInt();
            byte[] sig = new byte[bb.remaining()];
            bb.get(sig);
            list.add(new Signature(name, keyHash, sig));
            if (list.size() > MAX_SIGNATURES) {
                return Parsed.invalid("signatures", "more than " + MAX_SIGNATURES);
            }
        }
        String problem = textProblem(text);
        if (problem != null) {
            return Parsed.invalid("note text", problem);
        }
        return Parsed.ok(new Note(text, list));
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private static String textProblem(String text) {
        if (text == null || text.isEmpty()) {
            return "must not be empty";
        }
        if (!text.endsWith("\n")) {
            return "must end with a newline";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n') || c == 0x7f) {
                return "contains a control character at offset " + i;
            }
        }
        return null;
    }
}
