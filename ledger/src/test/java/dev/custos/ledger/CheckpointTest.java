package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    private static final Hash ROOT = Merkle.leafHash(new byte[] {1, 2, 3});

    @Test
    void body_formatsOriginSizeRootAndExtensions() {
        Checkpoint cp = new Checkpoint("custos.test/ledger", 42, ROOT, List.of("ext one"));
        assertThat(cp.body()).isEqualTo("custos.test/ledger\n42\n" + ROOT.base64() + "\next one\n");
        assertThat(Checkpoint.parse(cp.body()).orThrow()).isEqualTo(cp);
    }

    @Test
    void parse_rejectsNonCanonicalSize() {
        for (String size : new String[] {"01", "-1", "+1", " 1", "1.0", "99999999999999999999", ""}) {
            Parsed<Checkpoint> p = Checkpoint.parse("o\n" + size + "\n" + ROOT.base64() + "\n");
            assertThat(p).as(size).isInstanceOfSatisfying(Parsed.Invalid.class,
                    bad -> assertThat(bad.field()).isEqualTo("size"));
        }
    }

    @Test
    void parse_rejectsBadRootAndMissingNewline() {
        assertThat(Checkpoint.parse("o\n1\nAAAA\n")).isInstanceOf(Parsed.Invalid.class);
        assertThat(Checkpoint.parse("o\n1\n" + ROOT.base64())).isInstanceOf(Parsed.Invalid.class);
        assertThat(Checkpoint.parse("o\n1\n" + ROOT.base64() + "\n\n")).isInstanceOf(Parsed.Invalid.class);
        assertThat(Checkpoint.parse("\n1\n" + ROOT.base64() + "\n")).isInstanceOf(Parsed.Invalid.class);
    }

    @Test
    void signedCheckpoint_roundTripsAndVerifies() {
        NoteSigner signer = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        SignedCheckpoint sc = new Checkpoint("custos.test/ledger", 7, ROOT).sign(signer);
        SignedCheckpoint back = SignedCheckpoint.parse(sc.bytes(), signer.verifier()).orThrow();
        assertThat(back.checkpoint()).isEqualTo(sc.checkpoint());
        assertThat(back.text()).isEqualTo(sc.text());
    }

    @Test
    void signedCheckpoint_withWrongKey_isInvalidSignature() {
        NoteSigner signer = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        NoteSigner other = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        SignedCheckpoint sc = new Checkpoint("custos.test/ledger", 7, ROOT).sign(signer);
        assertThat(SignedCheckpoint.parse(sc.text(), other.verifier()))
                .isInstanceOfSatisfying(Parsed.Invalid.class, bad -> assertThat(bad.field()).isEqualTo("signature"));
    }
}
