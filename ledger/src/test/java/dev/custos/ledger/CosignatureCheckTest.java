package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custos.ledger.CosignatureCheck.Status;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CosignatureCheckTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final NoteSigner LOG = NoteSigner.generate("custos.test/ledger", RANDOM);
    private static final NoteSigner WITNESS = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "witness.test/w1", RANDOM);
    private static final NoteSigner OTHER = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "witness.test/w2", RANDOM);
    private static final Instant AT = Instant.parse("2026-11-21T14:00:00Z");
    private static final Checkpoint CP = new Checkpoint("custos.test/ledger", 1200, Merkle.leafHash(new byte[] {1}));

    private static SignedCheckpoint withLines(SignedCheckpoint signed, Note.Signature... lines) {
        return new SignedCheckpoint(signed.checkpoint(), signed.note().withSignatures(List.of(lines)));
    }

    @Test
    void validCosignature_ofATrustedWitness_isVerified_withItsTime() {
        SignedCheckpoint signed = CP.sign(LOG).withCosignature(Cosignature.sign(CP, WITNESS, AT), WITNESS.verifier());
        assertThat(CosignatureCheck.of(signed, LOG.verifier(), List.of(WITNESS.verifier()))).containsExactly(
            new CosignatureCheck(WITNESS.name(), WITNESS.verifier().keyHash(), Optional.of(AT), Status.VERIFIED));
    }

    @Test
    void cosignature_byAKeyNotTrusted_isListedAsUnknown_notVerified() {
        SignedCheckpoint signed = CP.sign(LOG).withCosignature(Cosignature.sign(CP, WITNESS, AT), WITNESS.verifier());
        List<CosignatureCheck> checks = CosignatureCheck.of(signed, LOG.verifier(), List.of());
        assertThat(checks).containsExactly(
            new CosignatureCheck(WITNESS.name(), WITNESS.verifier().keyHash(), Optional.of(AT), Status.UNKNOWN));
        assertThat(checks.get(0).keyHashHex()).isEqualTo(WITNESS.verifier().encoded().split("\\+")[1]);
    }

    @Test
    void trustedKeyOfTheSameNameButAnotherKey_findsNoCosignature_andTheLineStaysUnknown() {
        NoteSigner impostor = NoteSigner.generate(SignatureType.COSIGNATURE_V1, WITNESS.name(), RANDOM);
        SignedCheckpoint signed = CP.sign(LOG).withCosignature(Cosignature.sign(CP, WITNESS, AT), WITNESS.verifier());
        assertThat(CosignatureCheck.of(signed, LOG.verifier(), List.of(impostor.verifier())))
            .extracting(CosignatureCheck::status).containsExactly(Status.MISSING, Status.UNKNOWN);
    }

    @Test
    void lineUnderTheTrustedNameAndHash_signedByAnotherKey_fails() {
        NoteSigner forger = NoteSigner.generate(SignatureType.COSIGNATURE_V1, WITNESS.name(), RANDOM);
        Cosignature forged = Cosignature.sign(CP, forger, AT);
        Note.Signature line = new Cosignature(WITNESS.name(), WITNESS.verifier().keyHash(), forged.timestamp(),
            forged.signature()).noteSignature();
        assertThat(CosignatureCheck.of(withLines(CP.sign(LOG), line), LOG.verifier(), List.of(WITNESS.verifier())))
            .containsExactly(new CosignatureCheck(WITNESS.name(), WITNESS.verifier().keyHash(), Optional.of(AT),
                Status.FAILED));
    }

    @Test
    void cosignatureOfAnotherCheckpointBody_fails() {
        Checkpoint larger = new Checkpoint(CP.origin(), CP.size() + 1, CP.rootHash());
        Note.Signature line = Cosignature.sign(larger, WITNESS, AT).noteSignature();
        assertThat(CosignatureCheck.of(withLines(CP.sign(LOG), line), LOG.verifier(), List.of(WITNESS.verifier())))
            .extracting(CosignatureCheck::status).containsExactly(Status.FAILED);
    }

    @Test
    void cosignatureWithAChangedTimestamp_fails_andReportsTheClaimedTime() {
        Cosignature real = Cosignature.sign(CP, WITNESS, AT);
        Note.Signature line = new Cosignature(real.keyName(), real.keyHash(), real.timestamp() + 3600, real.signature())
            .noteSignature();
        assertThat(CosignatureCheck.of(withLines(CP.sign(LOG), line), LOG.verifier(), List.of(WITNESS.verifier())))
            .containsExactly(new CosignatureCheck(WITNESS.name(), WITNESS.verifier().keyHash(),
                Optional.of(AT.plusSeconds(3600)), Status.FAILED));
    }

    @Test
    void trustedWitnessWithoutALine_isMissing_andTheOthersAreStillChecked() {
        SignedCheckpoint signed = CP.sign(LOG).withCosignature(Cosignature.sign(CP, OTHER, AT), OTHER.verifier());
        assertThat(CosignatureCheck.of(signed, LOG.verifier(), List.of(WITNESS.verifier(), OTHER.verifier())))
            .extracting(CosignatureCheck::keyName, CosignatureCheck::status)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(WITNESS.name(), Status.MISSING),
                org.assertj.core.groups.Tuple.tuple(OTHER.name(), Status.VERIFIED));
    }

    @Test
    void theLogsOwnKey_isNotAWitnessKey() {
        assertThatThrownBy(() -> CosignatureCheck.of(CP.sign(LOG), LOG.verifier(), List.of(LOG.verifier())))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cosignature/v1");
    }
}
