package dev.custos.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Asks one witness to cosign a log's checkpoint with the C2SP tlog-witness {@code add-checkpoint}
 * call, and checks the answer.
 *
 * <p>Security guarantees: a {@link Cosigned} result MUST only be returned for a cosignature that
 * verifies with the configured witness key over exactly the submitted checkpoint; anything else the
 * witness sends is a {@link Refused} with {@link Problem#INVALID_RESPONSE}. The client never trusts
 * the witness's size blindly: on 409 it retries at most once, only towards a size no larger than the
 * checkpoint, with a proof the caller's {@link ProofSource} made.
 *
 * <p>Thread-safe; one instance per witness is enough.
 */
public final class WitnessClient {

    /** The default time limit for one request. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final URI addCheckpoint;
    private final NoteVerifier witnessKey;
    private final HttpClient http;
    private final Duration timeout;

    private WitnessClient(URI prefix, NoteVerifier witnessKey, HttpClient http, Duration timeout) {
        String p = prefix.toString();
        this.addCheckpoint = URI.create(p.endsWith("/") ? p : p + "/").resolve("add-checkpoint");
        this.witnessKey = witnessKey;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * A client for the witness at {@code submissionPrefix} (e.g. {@code https://witness.example/}),
     * whose cosigner key is {@code witnessKey}, with its own HTTP client and {@link #DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException if the key is not a cosigner key or the URL is not http(s)
     */
    public static WitnessClient of(URI submissionPrefix, NoteVerifier witnessKey) {
        return of(submissionPrefix, witnessKey,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), DEFAULT_TIMEOUT);
    }

    /** As {@link #of(URI, NoteVerifier)} with a given HTTP client and time limit per request. */
    public static WitnessClient of(URI submissionPrefix, NoteVerifier witnessKey, HttpClient http, Duration timeout) {
        Objects.requireNonNull(http, "http");
        Cosignature.requireCosigner(witnessKey);
        String scheme = submissionPrefix.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("witness URL must be http or https: " + submissionPrefix);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new WitnessClient(submissionPrefix, witnessKey, http, timeout);
    }

    /** The witness's cosigner key. */
    public NoteVerifier witnessKey() {
        return witnessKey;
    }

    /** Makes consistency proofs on demand, for example {@code ledger::consistencyProof}. */
    @FunctionalInterface
    public interface ProofSource {
        /** A proof that the tree of {@code newSize} extends the tree of {@code oldSize}. */
        ConsistencyProof consistencyProof(long oldSize, long newSize) throws IOException;
    }

    /** What the witness did with a checkpoint. */
    public sealed interface Result permits Cosigned, Refused {}

    /**
     * The witness cosigned.
     *
     * @param cosignature the verified cosignature
     * @param checkpoint the submitted checkpoint with the cosignature merged into its note
     */
    public record Cosigned(Cosignature cosignature, SignedCheckpoint checkpoint) implements Result {}

    /**
     * The witness did not cosign.
     *
     * @param problem what went wrong
     * @param status the HTTP status of the last answer
     * @param detail the witness's words (its body, shortened and stripped of control characters)
     * @param witnessSize the size the witness says it recorded, when it said (409)
     */
    public record Refused(Problem problem, int status, String detail, OptionalLong witnessSize) implements Result {}

    /** Why a witness did not cosign. */
    public enum Problem {
        /** 404: the witness does not know this log's origin; its operator must add the log's key. */
        UNKNOWN_LOG,
        /** 403: the witness does not accept the log's signature (the log key it trusts differs). */
        LOG_SIGNATURE_REJECTED,
        /**
         * The witness holds another tree for this log: it cosigned a checkpoint of the same size with
         * another root (409 at equal sizes), or the consistency proof from its checkpoint does not
         * verify (422). Either the log forked, or the proof source is wrong: investigate, never retry
         * blindly.
         */
        FORK_REFUSED,
        /** 409: the witness cosigned a larger tree than this checkpoint (a stale or rolled-back checkpoint). */
        WITNESS_AHEAD,
        /** 409 again after the one retry: the witness's size keeps changing (another submitter). */
        CONFLICT,
        /** 400: the witness found the request malformed. */
        BAD_REQUEST,
        /** 200 without a valid cosignature by the witness key, or a 409 without a size. */
        INVALID_RESPONSE,
        /** Any other status, e.g. 413 or 500. */
        UNEXPECTED_STATUS
    }

    /**
     * Submits {@code checkpoint} with {@code proof} from the size the caller believes the witness
     * recorded (0 the first time). If the witness answers 409 with another size no larger than the
     * checkpoint, asks {@code proofs} for a proof from that size and tries once more.
     *
     * @param checkpoint the log's signed checkpoint (may already carry other cosignatures)
     * @param proof a consistency proof whose {@code newSize} is the checkpoint's size
     * @param proofs makes the proof for the retry
     * @throws IllegalArgumentException if the proof does not end at the checkpoint's size
     * @throws IOException if the witness cannot be reached or the proof source fails
     * @throws InterruptedException if interrupted while waiting for the witness
     */
    public Result submit(SignedCheckpoint checkpoint, ConsistencyProof proof, ProofSource proofs)
            throws IOException, InterruptedException {
        long size = checkpoint.checkpoint().size();
        if (proof.newSize() != size) {
            throw new IllegalArgumentException("consistency proof ends at size " + proof.newSize()
                    + ", the checkpoint is of size " + size);
        }
        Answer first = post(checkpoint, proof);
        if (first.status != 409) {
            return interpret(first, checkpoint, proof);
        }
        OptionalLong witnessSize = first.size();
        if (witnessSize.isEmpty()) {
            return refused(Problem.INVALID_RESPONSE, first, "409 without a text/x.tlog.size body: " + first.detail());
        }
        long ws = witnessSize.getAsLong();
        if (ws == proof.oldSize()) {
            return conflictAtRecordedSize(first, proof, size);
        }
        if (ws > size) {
            return refused(Problem.WITNESS_AHEAD, first, "the witness cosigned size " + ws
                    + ", larger than this checkpoint's " + size);
        }
        ConsistencyProof retryProof = proofs.consistencyProof(ws, size);
        if (retryProof.oldSize() != ws || retryProof.newSize() != size) {
            throw new IllegalStateException("proof source returned a proof from " + retryProof.oldSize() + " to "
                    + retryProof.newSize() + ", asked for " + ws + " to " + size);
        }
        Answer second = post(checkpoint, retryProof);
        if (second.status != 409) {
            return interpret(second, checkpoint, retryProof);
        }
        if (second.size().isPresent() && second.size().getAsLong() == ws) {
            return conflictAtRecordedSize(second, retryProof, size);
        }
        return refused(Problem.CONFLICT, second, "the witness's recorded size changed again: " + second.detail());
    }

    /** A 409 although we sent the witness's own size: per tlog-witness, same size but another root. */
    private static Result conflictAtRecordedSize(Answer a, ConsistencyProof sent, long size) {
        if (sent.oldSize() == size) {
            return refused(Problem.FORK_REFUSED, a, "the witness cosigned another root hash at size " + size);
        }
        return refused(Problem.INVALID_RESPONSE, a, "409 naming the size we sent (" + sent.oldSize() + ")");
    }

    private Result interpret(Answer a, SignedCheckpoint checkpoint, ConsistencyProof sent) {
        return switch (a.status) {
            case 200 -> verifiedCosignature(a, checkpoint)
                    .<Result>map(c -> new Cosigned(c, checkpoint.withCosignature(c, witnessKey)))
                    .orElseGet(() -> refused(Problem.INVALID_RESPONSE, a,
                            "200 without a valid cosignature by " + witnessKey.encoded()));
            case 400 -> refused(Problem.BAD_REQUEST, a, a.detail());
            case 403 -> refused(Problem.LOG_SIGNATURE_REJECTED, a, a.detail());
            case 404 -> refused(Problem.UNKNOWN_LOG, a, a.detail());
            case 422 -> refused(Problem.FORK_REFUSED, a, "the consistency proof from size " + sent.oldSize()
                    + " does not verify against the witness's checkpoint: " + a.detail());
            default -> refused(Problem.UNEXPECTED_STATUS, a, a.detail());
        };
    }

    /** Reads the response as note signature lines appended to the checkpoint text, as tlog-witness suggests. */
    private Optional<Cosignature> verifiedCosignature(Answer a, SignedCheckpoint checkpoint) {
        String body = new String(a.body, StandardCharsets.UTF_8);
        if (Note.parse(checkpoint.checkpoint().body() + "\n" + body) instanceof Parsed.Ok<Note> ok) {
            return new SignedCheckpoint(checkpoint.checkpoint(), ok.value()).cosignature(witnessKey);
        }
        return Optional.empty();
    }

    private Answer post(SignedCheckpoint checkpoint, ConsistencyProof proof) throws IOException, InterruptedException {
        byte[] body = WitnessRequest.format(proof.oldSize(), proof.path(), checkpoint.note());
        HttpRequest request = HttpRequest.newBuilder(addCheckpoint)
                .timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(MAX_RESPONSE_BYTES);
        }
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), bytes);
    }

    private static Refused refused(Problem problem, Answer a, String detail) {
        return new Refused(problem, a.status, detail, a.status == 409 ? a.size() : OptionalLong.empty());
    }

    /** One HTTP answer. */
    private record Answer(int status, String contentType, byte[] body) {
        /** The witness's size from a 409 body {@code <decimal>\n}. */
        OptionalLong size() {
            String text = new String(body, StandardCharsets.US_ASCII);
            if (!contentType.strip().startsWith(WitnessResponse.TLOG_SIZE) || !text.matches("(0|[1-9][0-9]{0,18})\n")) {
                return OptionalLong.empty();
            }
            try {
                return OptionalLong.of(Long.parseLong(text.strip()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        String detail() {
            String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return text.replaceAll("\\p{Cntrl}+", " ").strip();
        }
    }

    @Override
    public String toString() {
        return "WitnessClient[" + addCheckpoint + ", " + witnessKey.name() + "]";
    }
}
