package dev.custos.ledger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP face of a {@link Witness}, on the JDK's own HTTP server so that an auditor can run it on
 * any machine with a JDK and nothing else. Routes (relative to the root, which is both the
 * tlog-witness submission and monitoring prefix):
 * <ul>
 *   <li>{@code POST /add-checkpoint}: C2SP tlog-witness; the status, content type and body are
 *       exactly {@link WitnessResponse}'s; a body over 1 MiB is refused with 413; a storage failure
 *       is 500 and releases no cosignature.</li>
 *   <li>{@code GET /checkpoint/<origin>}: the latest checkpoint cosigned for the log, a signed note
 *       with the log's signatures and this witness's cosignature; the origin is percent-encoded
 *       ({@code /} may be left as is). 404 if none.</li>
 *   <li>{@code GET /vkey}: the witness's cosigner verifier key.</li>
 * </ul>
 * Requests run on virtual threads; {@link #close()} stops accepting, lets running requests finish
 * (up to two seconds) and stops.
 */
public final class WitnessServer implements AutoCloseable {

    /** The largest request body accepted; more is refused with 413. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final System.Logger LOG = System.getLogger(WitnessServer.class.getName());
    private static final String CHECKPOINT_PREFIX = "/checkpoint/";

    private final Witness witness;
    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    private WitnessServer(Witness witness, HttpServer server, ExecutorService executor) {
        this.witness = witness;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} (port 0 picks a free port) and starts serving {@code witness}.
     *
     * @throws IOException if the address cannot be bound
     */
    public static WitnessServer start(Witness witness, InetSocketAddress address) throws IOException {
        Objects.requireNonNull(witness, "witness");
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        WitnessServer ws = new WitnessServer(witness, server, executor);
        server.createContext("/", ws::handle);
        server.setExecutor(executor);
        server.start();
        return ws;
    }

    /** The bound address (with the real port when started on port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The URL prefix clients use, {@code http://<host>:<port>/}. */
    public URI url() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            if (path.equals("/add-checkpoint")) {
                if (!method.equals("POST")) {
                    methodNotAllowed(ex, "POST");
                } else {
                    addCheckpoint(ex);
                }
            } else if (path.startsWith(CHECKPOINT_PREFIX)) {
                if (!method.equals("GET")) {
                    methodNotAllowed(ex, "GET");
                } else {
                    checkpoint(ex, path.substring(CHECKPOINT_PREFIX.length()));
                }
            } else if (path.equals("/vkey")) {
                if (!method.equals("GET")) {
                    methodNotAllowed(ex, "GET");
                } else {
                    send(ex, 200, WitnessResponse.TEXT, witness.verifierKey().encoded() + "\n");
                }
            } else {
                send(ex, 404, WitnessResponse.TEXT, "not found\n");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "witness: request failed", e);
            trySend(ex, 500, "internal error\n");
        } finally {
            ex.close();
        }
    }

    private void addCheckpoint(HttpExchange ex) throws IOException {
        Optional<byte[]> body = readBody(ex);
        if (body.isEmpty()) {
            ex.getResponseHeaders().set("Connection", "close");
            send(ex, 413, WitnessResponse.TEXT, "request body larger than " + MAX_BODY_BYTES + " bytes\n");
            return;
        }
        WitnessResponse response;
        try {
            response = witness.addCheckpoint(body.get());
        } catch (LedgerException e) {
            LOG.log(System.Logger.Level.ERROR, "witness: " + e.getMessage(), e);
            send(ex, 500, WitnessResponse.TEXT, "the witness could not record the checkpoint; nothing was cosigned\n");
            return;
        }
        if (response instanceof WitnessResponse.Refused r) {
            LOG.log(System.Logger.Level.INFO, "witness: add-checkpoint refused {0} ({1}): {2}",
                    r.status(), r.reason(), r.detail());
        }
        send(ex, response.status(), response.contentType(), response.body());
    }

    private void checkpoint(HttpExchange ex, String rawOrigin) throws IOException {
        Optional<String> origin = percentDecode(rawOrigin);
        if (origin.isEmpty()) {
            send(ex, 400, WitnessResponse.TEXT, "origin is not validly percent-encoded UTF-8\n");
            return;
        }
        Optional<SignedCheckpoint> cp = witness.checkpoint(origin.get());
        if (cp.isEmpty()) {
            send(ex, 404, WitnessResponse.TEXT, "no checkpoint cosigned for this origin\n");
        } else {
            send(ex, 200, WitnessResponse.TEXT, cp.get().bytes());
        }
    }

    /**
     * Bytes of an oversized body read and discarded before the 413 is sent, so that a client still
     * writing its body reads the answer instead of a reset connection; beyond this the connection is
     * simply closed.
     */
    private static final long DRAIN_LIMIT = 8L * MAX_BODY_BYTES;

    /** The body, or empty if it is over the limit (declared or actual). */
    private static Optional<byte[]> readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        try (InputStream in = ex.getRequestBody()) {
            if (declared != null) {
                try {
                    if (Long.parseLong(declared.strip()) > MAX_BODY_BYTES) {
                        drain(in);
                        return Optional.empty();
                    }
                } catch (NumberFormatException e) {
                    // the server itself rejects a malformed length; read what there is
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_BODY_BYTES) {
                    drain(in);
                    return Optional.empty();
                }
                out.write(buf, 0, n);
            }
            return Optional.of(out.toByteArray());
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < DRAIN_LIMIT && (n = in.read(buf)) > 0) {
            total += n;
        }
    }

    /** Strict percent-decoding of a path segment (no '+' for space), then strict UTF-8. */
    static Optional<String> percentDecode(String raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 3 > raw.length() || !HexFormat.isHexDigit(raw.charAt(i + 1)) || !HexFormat.isHexDigit(raw.charAt(i + 2))) {
                    return Optional.empty();
                }
                out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static void methodNotAllowed(HttpExchange ex, String allowed) throws IOException {
        ex.getResponseHeaders().set("Allow", allowed);
        send(ex, 405, WitnessResponse.TEXT, "method not allowed\n");
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void trySend(HttpExchange ex, int status, String body) {
        try {
            send(ex, status, WitnessResponse.TEXT, body);
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent, or the client is gone
        }
    }

    /** Stops accepting connections, lets running requests finish (up to two seconds) and stops. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(2);
            executor.close();
        }
    }
}
