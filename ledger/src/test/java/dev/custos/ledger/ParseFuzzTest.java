package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Untrusted input never escapes as an exception: every parser returns {@link Parsed}. */
class ParseFuzzTest {

    @Property(tries = 500)
    void parse_ofArbitraryBytes_neverThrows(@ForAll @Size(max = 300) byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        assertThat(Note.parse(input)).isNotNull();
        assertThat(Note.parse(text)).isNotNull();
        assertThat(Checkpoint.parse(text)).isNotNull();
        assertThat(NoteVerifier.parse(text)).isNotNull();
        assertThat(NoteSigner.parse(text)).isNotNull();
        assertThat(SignedCheckpoint.parse(input, TestLogs.SIGNER.verifier())).isNotNull();
    }

    @Property(tries = 300)
    void parse_ofMutatedSignedCheckpoint_neverThrowsAndNeverVerifiesChangedBody(@ForAll int position, @ForAll byte value) {
        SignedCheckpoint good = new Checkpoint("custos.test/ledger", 12345, Merkle.leafHash(new byte[] {9}))
                .sign(TestLogs.SIGNER);
        byte[] b = good.bytes();
        int i = Math.floorMod(position, b.length);
        b[i] = value;
        Parsed<SignedCheckpoint> p = SignedCheckpoint.parse(b, TestLogs.SIGNER.verifier());
        if (p instanceof Parsed.Ok<SignedCheckpoint> ok) {
            assertThat(ok.value().checkpoint()).isEqualTo(good.checkpoint());
        }
    }
}
