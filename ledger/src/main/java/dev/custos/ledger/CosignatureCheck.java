package dev.custos.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reader of a signed checkpoint learns from its witness cosignature lines (C2SP
 * tlog-cosignature/v1), given the witness keys it trusts: one result per trusted witness
 * ({@link Status#VERIFIED}, {@link Status#FAILED} or {@link Status#MISSING}) and one per other
 * signature line that is not the log's own ({@link Status#UNKNOWN}: listed, not believed).
 *
 * <p>Security guarantees: only {@link Status#VERIFIED} says a witness signed this checkpoint; it
 * means the witness's key produced the signature over {@code "cosignature/v1\ntime <t>\n"} and the
 * exact checkpoint body, so a changed body or timestamp is {@link Status#FAILED}. An unknown line
 * proves nothing: anyone can add a line under any name.
 *
 * @param keyName the witness's key name, as the line or the trusted key gives it
 * @param keyHash the 4-byte key hash of the line or of the trusted key
 * @param time the cosignature's timestamp when the line has the cosignature/v1 shape (for a failed
 *     line: what it claims)
 * @param status what the line is worth
 */
public record CosignatureCheck(String keyName, int keyHash, Optional<Instant> time, Status status) {

    /** What a cosignature line is worth to the reader. */
    public enum Status {
        /** A trusted witness's valid cosignature over this checkpoint. */
        VERIFIED,
        /** A line under a trusted witness's name and key hash that does not verify: tampered or forged. */
        FAILED,
        /** A trusted witness has no line on this checkpoint (it may not have cosigned it yet). */
        MISSING,
        /** A line by a key the reader does not trust: shown, not verified. */
        UNKNOWN
    }

    public CosignatureCheck {
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(status, "status");
    }

    /** The key hash as 8 lower-case hex digits, as in a verifier key. */
    public String keyHashHex() {
        return String.format("%08x", keyHash);
    }

    /**
     * Checks the cosignature lines of {@code checkpoint}, whose log signature by {@code logKey} the
     * caller has verified, against the {@code trusted} witness keys.
     *
     * @return one result per trusted witness, in the given order, then one per other line
     * @throws IllegalArgumentException if a trusted key is not a cosignature/v1 key
     */
    public static List<CosignatureCheck> of(SignedCheckpoint checkpoint, NoteVerifier logKey, List<NoteVerifier> trusted) {
        trusted.forEach(Cosignature::requireCosigner);
        List<CosignatureCheck> out = new ArrayList<>();
        List<Note.Signature> lines = checkpoint.note().signatures();
        for (NoteVerifier witness : trusted) {
            Optional<Cosignature> valid = checkpoint.cosignature(witness);
            if (valid.isPresent()) {
                out.add(new CosignatureCheck(witness.name(), witness.keyHash(), Optional.of(valid.get().time()),
                        Status.VERIFIED));
                continue;
            }
            Optional<Note.Signature> claimed = lines.stream()
                    .filter(s -> s.keyName().equals(witness.name()) && s.keyHash() == witness.keyHash()).findFirst();
            out.add(new CosignatureCheck(witness.name(), witness.keyHash(), claimed.flatMap(CosignatureCheck::timeOf),
                    claimed.isPresent() ? Status.FAILED : Status.MISSING));
        }
        for (Note.Signature s : lines) {
            boolean isLog = s.keyName().equals(logKey.name()) && s.keyHash() == logKey.keyHash();
            boolean isTrusted = trusted.stream().anyMatch(w -> s.keyName().equals(w.name()) && s.keyHash() == w.keyHash());
            if (!isLog && !isTrusted) {
                out.add(new CosignatureCheck(s.keyName(), s.keyHash(), timeOf(s), Status.UNKNOWN));
            }
        }
        return List.copyOf(out);
    }

    private static Optional<Instant> timeOf(Note.Signature line) {
        return Cosignature.fromNoteSignature(line) instanceof Parsed.Ok<Cosignature> ok
                ? Optional.of(ok.value().time()) : Optional.empty();
    }
}
