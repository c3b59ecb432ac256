package dev.custos.ledger;

import static dev.custos.ledger.WitnessFixture.LOG_KEY;
import static dev.custos.ledger.WitnessFixture.ORIGIN;
import static dev.custos.ledger.WitnessFixture.WITNESS_KEY;
import static dev.custos.ledger.WitnessFixture.grow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The witness over real HTTP on 127.0.0.1, driven by {@link WitnessClient}. */
class WitnessServerTest {

    @TempDir
    Path temp;

    final WitnessFixture.Clock clock = new WitnessFixture.Clock();
    Witness witness;
    WitnessServer server;
    WitnessClient client;
    Ledger ledger;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        witness = WitnessFixture.witness(temp.resolve("witness"), clock);
        server = WitnessServer.start(witness, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = WitnessClient.of(server.url(), WITNESS_KEY.verifier());
        ledger = WitnessFixture.ledger(temp.resolve("ledger"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        witness.close();
        ledger.close();
    }

    private WitnessClient.Result submit(SignedCheckpoint cp, long oldSize) throws Exception {
        return client.submit(cp, ledger.consistencyProof(oldSize, cp.checkpoint().size()), ledger::consistencyProof);
    }

    private static WitnessClient.Cosigned cosigned(WitnessClient.Result r) {
        assertThat(r).isInstanceOf(WitnessClient.Cosigned.class);
        return (WitnessClient.Cosigned) r;
    }

    private static WitnessClient.Refused refused(WitnessClient.Result r, WitnessClient.Problem problem) {
        assertThat(r).isInstanceOfSatisfying(WitnessClient.Refused.class, x -> assertThat(x.problem()).isEqualTo(problem));
        return (WitnessClient.Refused) r;
    }

    @Test
    void client_getsAVerifiedCosignature_forAGrowingLog() throws Exception {
        long old = 0;
        for (long size : new long[] {1, 17, 256, 700}) {
            SignedCheckpoint cp = grow(ledger, "a", old, size);
            WitnessClient.Cosigned c = cosigned(submit(cp, old));
            assertThat(c.cosignature().verifies(cp.checkpoint(), WITNESS_KEY.verifier())).isTrue();
            assertThat(c.checkpoint().note().isSignedBy(LOG_KEY.verifier())).isTrue();
            assertThat(c.checkpoint().cosignature(WITNESS_KEY.verifier())).contains(c.cosignature());
            assertThat(c.cosignature().time()).isEqualTo(clock.instant());
            old = size;
        }
    }

    @Test
    void client_withAStaleOldSize_retriesOnceWithTheWitnessSize() throws Exception {
        cosigned(submit(grow(ledger, "a", 0, 100), 0));
        SignedCheckpoint cp = grow(ledger, "a", 100, 150);
        WitnessClient.Cosigned c = cosigned(submit(cp, 0));
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint().size()).isEqualTo(150);
        assertThat(c.checkpoint().checkpoint()).isEqualTo(cp.checkpoint());
    }

    @Test
    void client_reportsAForkAtTheSameSize_andAForkShownLarger() throws Exception {
        cosigned(submit(grow(ledger, "a", 0, 50), 0));
        try (Ledger fork = WitnessFixture.ledger(temp.resolve("fork"))) {
            grow(fork, "a", 0, 40);
            SignedCheckpoint evil = grow(fork, "b", 40, 50);
            WitnessClient.Refused same = refused(client.submit(evil, fork.consistencyProof(0, 50), fork::consistencyProof),
                    WitnessClient.Problem.FORK_REFUSED);
            assertThat(same.status()).isEqualTo(409);
            assertThat(same.witnessSize()).isEqualTo(OptionalLong.of(50));

            SignedCheckpoint larger = grow(fork, "b", 50, 80);
            WitnessClient.Refused bigger = refused(client.submit(larger, fork.consistencyProof(0, 80), fork::consistencyProof),
                    WitnessClient.Problem.FORK_REFUSED);
            assertThat(bigger.status()).isEqualTo(422);
        }
        assertThat(witness.checkpoint(ORIGIN).orElseThrow().checkpoint().size()).isEqualTo(50);
    }

    @Test
    void client_reportsAWitnessAhead_forAStaleCheckpoint() throws Exception {
        SignedCheckpoint small = grow(ledger, "a", 0, 10);
        cosigned(submit(grow(ledger, "a", 10, 20), 0));
        WitnessClient.Refused r = refused(submit(small, 0), WitnessClient.Problem.WITNESS_AHEAD);
        assertThat(r.witnessSize()).isEqualTo(OptionalLong.of(20));
    }

    @Test
    void client_reportsUnknownLog_andRejectedLogSignature() throws Exception {
        NoteSigner stranger = NoteSigner.generate("stranger.test/log", new SecureRandom());
        SignedCheckpoint unknown = new Checkpoint("stranger.test/log", 0, Merkle.emptyRoot()).sign(stranger);
        refused(client.submit(unknown, new ConsistencyProof(0, 0, java.util.List.of()), (a, b) -> null),
                WitnessClient.Problem.UNKNOWN_LOG);

        NoteSigner impostor = NoteSigner.generate(ORIGIN, new SecureRandom());
        SignedCheckpoint forged = grow(ledger, "a", 0, 3).checkpoint().sign(impostor);
        refused(client.submit(forged, ledger.consistencyProof(0, 3), ledger::consistencyProof),
                WitnessClient.Problem.LOG_SIGNATURE_REJECTED);
    }

    @Test
    void client_refusesACosignatureByAnotherKey() throws Exception {
        NoteSigner otherWitness = NoteSigner.generate(SignatureType.COSIGNATURE_V1, WITNESS_KEY.name(), new SecureRandom());
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        SignedCheckpoint cp = grow(ledger, "a", 0, 5);
        fake.createContext("/add-checkpoint", ex -> {
            ex.getRequestBody().readAllBytes();
            byte[] body = Cosignature.sign(cp.checkpoint(), otherWitness, Instant.EPOCH).line().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        fake.start();
        try {
            WitnessClient c = WitnessClient.of(URI.create("http://127.0.0.1:" + fake.getAddress().getPort()), WITNESS_KEY.verifier());
            refused(c.submit(cp, ledger.consistencyProof(0, 5), ledger::consistencyProof), WitnessClient.Problem.INVALID_RESPONSE);
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void bodyOverOneMebibyte_is413() throws Exception {
        byte[] big = new byte[WitnessServer.MAX_BODY_BYTES + 1];
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve("add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(server.url().resolve("add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[WitnessServer.MAX_BODY_BYTES])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(400);
    }

    @Test
    void conflict_overHttp_hasTheTlogSizeContentTypeAndBody() throws Exception {
        cosigned(submit(grow(ledger, "a", 0, 10), 0));
        SignedCheckpoint cp = grow(ledger, "a", 10, 12);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve("add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(WitnessFixture.request(ledger, 3, cp))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/x.tlog.size");
        assertThat(r.body()).isEqualTo("10\n");
    }

    @Test
    void latestCosignedCheckpoint_andVkey_areServedReadOnly() throws Exception {
        WitnessClient.Cosigned c = cosigned(submit(grow(ledger, "a", 0, 9), 0));
        for (String path : new String[] {"checkpoint/custos.test%2Fledger", "checkpoint/custos.test/ledger"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            SignedCheckpoint served = SignedCheckpoint.parse(r.body(), LOG_KEY.verifier()).orThrow();
            assertThat(served.cosignature(WITNESS_KEY.verifier())).contains(c.cosignature());
        }
        assertThat(get("checkpoint/nobody").statusCode()).isEqualTo(404);
        assertThat(get("checkpoint/%FF%FE").statusCode()).isEqualTo(400);
        assertThat(get("vkey").body()).isEqualTo(WITNESS_KEY.verifier().encoded() + "\n");
        assertThat(get("add-checkpoint").statusCode()).isEqualTo(405);
        assertThat(get("nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void closedServer_refusesConnections() throws Exception {
        URI url = server.url();
        server.close();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(url.resolve("vkey")).GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        server = WitnessServer.start(witness, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.url().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
