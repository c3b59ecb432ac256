package dev.custos.ledger;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** The outcome of {@link Verifier#verify}: the log is clean, or the first thing found wrong, with evidence. */
public sealed interface VerifyResult {

    /**
     * Every entry, tile and the signed checkpoint agree, and the log extends the trusted checkpoint if one was given.
     *
     * @param checkpoint the verified checkpoint
     */
    record Clean(Checkpoint checkpoint) implements VerifyResult {
        /** Requires the checkpoint. */
        public Clean {
            Objects.requireNonNull(checkpoint, "checkpoint");
        }
    }

    /** What kind of problem was found. */
    enum Problem {
        /** There is no checkpoint. */
        CHECKPOINT_MISSING,
        /** The checkpoint is not a well-formed signed note or tlog-checkpoint body. */
        CHECKPOINT_MALFORMED,
        /** The checkpoint carries no valid signature by the expected key. */
        CHECKPOINT_SIGNATURE,
        /** An entry bundle the checkpoint covers is missing. */
        ENTRIES_MISSING,
        /** An entry bundle cannot be parsed (bad length prefix, too short, trailing bytes). */
        ENTRIES_MALFORMED,
        /** A hash tile the checkpoint covers is missing or has the wrong length. */
        TILE_MISSING,
        /** A stored hash does not equal the hash recomputed from the entries. */
        HASH_MISMATCH,
        /** Entries and tiles agree with each other but not with the checkpoint's root hash. */
        ROOT_MISMATCH,
        /** The log is smaller than the trusted checkpoint: entries were removed. */
        ROLLBACK,
        /** The log does not extend the trusted checkpoint (different origin or different history). */
        INCONSISTENT_WITH_TRUSTED
    }

    /**
     * The first problem found.
     *
     * @param problem the kind of problem
     * @param firstBadIndex the first leaf index affected, if the problem can be located in the log
     * @param resource the tlog-tiles path involved, for example {@code tile/0/001} or {@code checkpoint}
     * @param detail what is wrong, in words
     * @param expected the hash that should be there (recomputed or trusted), if a hash comparison failed
     * @param found the hash found in the log, if a hash comparison failed
     */
    record Failure(Problem problem, OptionalLong firstBadIndex, String resource, String detail,
                   Optional<Hash> expected, Optional<Hash> found) implements VerifyResult {
        /** Requires every component. */
        public Failure {
            Objects.requireNonNull(problem, "problem");
            Objects.requireNonNull(firstBadIndex, "firstBadIndex");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(found, "found");
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(problem.name());
            firstBadIndex.ifPresent(i -> sb.append(" at index ").append(i));
            sb.append(" (").append(resource).append("): ").append(detail);
            expected.ifPresent(h -> sb.append("; expected ").append(h.hex()));
            found.ifPresent(h -> sb.append(", found ").append(h.hex()));
            return sb.toString();
        }
    }
}
