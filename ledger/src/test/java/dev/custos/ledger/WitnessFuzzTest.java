package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Untrusted add-checkpoint bodies never escape as an exception and never change the recorded state. */
class WitnessFuzzTest {

    private static Path dir;
    private static Ledger ledger;
    private static Witness witness;
    private static SignedCheckpoint recorded;
    private static byte[] goodRequest;

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("witness-fuzz");
        ledger = WitnessFixture.ledger(dir.resolve("ledger"));
        witness = WitnessFixture.witness(dir.resolve("witness"), new WitnessFixture.Clock());
        SignedCheckpoint ten = WitnessFixture.grow(ledger, "a", 0, 10);
        witness.addCheckpoint(WitnessFixture.request(ledger, 0, ten));
        recorded = witness.checkpoint(WitnessFixture.ORIGIN).orElseThrow();
        goodRequest = WitnessFixture.request(ledger, 10, WitnessFixture.grow(ledger, "a", 10, 300));
    }

    @AfterContainer
    static void close() throws Exception {
        witness.close();
        ledger.close();
        TestLogs.deleteTree(dir);
    }

    @Property(tries = 1000)
    void arbitraryBytes_areRefusedWithASpecStatus(@ForAll @Size(max = 600) byte[] body) throws Exception {
        WitnessResponse r = witness.addCheckpoint(body);
        assertThat(r).isInstanceOf(WitnessResponse.Refused.class);
        assertThat(r.status()).isIn(400, 403, 404, 409, 422);
        assertThat(witness.checkpoint(WitnessFixture.ORIGIN)).contains(recorded);
    }

    @Property(tries = 1000)
    void mutatedValidRequest_isRefusedWithASpecStatus(@ForAll int position, @ForAll byte value) throws Exception {
        byte[] body = goodRequest.clone();
        int i = Math.floorMod(position, body.length);
        if (body[i] == value) {
            return;
        }
        body[i] = value;
        WitnessResponse r = witness.addCheckpoint(body);
        assertThat(r.status()).isIn(400, 403, 404, 409, 422);
        assertThat(witness.checkpoint(WitnessFixture.ORIGIN)).contains(recorded);
    }
}
