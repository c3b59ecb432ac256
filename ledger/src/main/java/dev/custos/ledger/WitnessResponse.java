package dev.custos.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A witness's answer to a C2SP tlog-witness {@code add-checkpoint} request, as data: either the
 * cosignature (200) or the refusal with its status code and reason. {@link #status()},
 * {@link #contentType()} and {@link #body()} are exactly what the HTTP response carries.
 */
public sealed interface WitnessResponse permits WitnessResponse.Cosigned, WitnessResponse.Refused {

    /** The content type of a 409 body, the witness's recorded tree size (tlog-witness). */
    String TLOG_SIZE = "text/x.tlog.size";
    /** The content type of every other body. */
    String TEXT = "text/plain; charset=utf-8";

    /** The HTTP status code. */
    int status();

    /** The HTTP content type. */
    String contentType();

    /** The HTTP body. */
    byte[] body();

    /**
     * The checkpoint was consistent with everything the witness cosigned before for its log; the new
     * state is durable.
     *
     * @param checkpoint the checkpoint as the witness now records it: the log's verified
     *     signatures and the witness's cosignature
     * @param cosignature the witness's cosignature
     */
    record Cosigned(SignedCheckpoint checkpoint, Cosignature cosignature) implements WitnessResponse {
        /** Requires both. */
        public Cosigned {
            Objects.requireNonNull(checkpoint, "checkpoint");
            Objects.requireNonNull(cosignature, "cosignature");
        }

        @Override
        public int status() {
            return 200;
        }

        @Override
        public String contentType() {
            return TEXT;
        }

        /** The cosignature line, {@code — <witness name> <base64>\n}. */
        @Override
        public byte[] body() {
            return cosignature.line().getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The witness did not cosign; its recorded state is unchanged.
     *
     * @param reason why, which fixes the status code
     * @param detail what was wrong, in words (never secret; may name request fields)
     * @param recordedSize the size of the latest checkpoint the witness cosigned for the log, 0 if
     *     none or the log is unknown
     */
    record Refused(Reason reason, String detail, long recordedSize) implements WitnessResponse {
        /** Requires a reason and a detail. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public int status() {
            return reason.status;
        }

        @Override
        public String contentType() {
            return reason.status == 409 ? TLOG_SIZE : TEXT;
        }

        /** For 409 the recorded size and a newline, as tlog-witness requires; otherwise the detail. */
        @Override
        public byte[] body() {
            String text = reason.status == 409 ? recordedSize + "\n" : detail + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Why a checkpoint was refused, with the tlog-witness status code. */
    enum Reason {
        /** 400: the body is not {@code old <size>}, proof lines, an empty line and a note; or old size > checkpoint size. */
        MALFORMED(400),
        /** 403: none of the note's signatures verifies with a key the witness trusts for the origin. */
        LOG_SIGNATURE(403),
        /** 404: the witness does not know the checkpoint's origin. */
        UNKNOWN_LOG(404),
        /** 409: the old size is not the size the witness recorded; the body says which it is. */
        OLD_SIZE_MISMATCH(409),
        /** 409: same size as the recorded checkpoint but another root hash: a fork (evidence kept). */
        CONFLICTING_ROOT(409),
        /** 422: the consistency proof from the recorded checkpoint does not verify (evidence kept). */
        INCONSISTENT(422);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** The HTTP status code. */
        public int status() {
            return status;
        }
    }
}
