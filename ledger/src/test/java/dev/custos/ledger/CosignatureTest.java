package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CosignatureTest {

    private static final Map<String, String> VECTORS = new HashMap<>();

    static {
        for (String line : Vectors.lines("tlog-cosignature.txt")) {
            int colon = line.indexOf(": ");
            if (!line.startsWith("#") && colon > 0) {
                VECTORS.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private static final NoteSigner WITNESS = NoteSigner.generate(SignatureType.COSIGNATURE_V1, "witness.test/w1", new SecureRandom());
    private static final Checkpoint CHECKPOINT = new Checkpoint("custos.test/ledger", 20852163,
            Hash.wrap(Base64.getDecoder().decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")));

    @Test
    void sigsumWitnessCosignature_verifiesOverTheCheckpointByteForByte() {
        byte[] logKey = HEX.parseHex(VECTORS.get("log-public-key-hex"));
        byte[] witnessKey = HEX.parseHex(VECTORS.get("witness-public-key-hex"));
        String origin = VECTORS.get("checkpoint-origin");
        assertThat(origin).isEqualTo("sigsum.org/v1/tree/" + HEX.formatHex(Merkle.sha256(logKey)));
        Checkpoint cp = new Checkpoint(origin, Long.parseLong(VECTORS.get("checkpoint-size")),
                Hash.ofHex(VECTORS.get("checkpoint-root-hex")));
        // The log's own signature is a plain signed-note signature by a key named after the origin.
        NoteVerifier log = NoteVerifier.ofRaw(SignatureType.ED25519, origin, logKey);
        Note logNote = new Note(cp.body(), List.of(new Note.Signature(origin, log.keyHash(),
                HEX.parseHex(VECTORS.get("log-signature-hex")))));
        SignedCheckpoint signed = SignedCheckpoint.parse(logNote.formatBytes(), log).orThrow();

        NoteVerifier witness = NoteVerifier.ofRaw(SignatureType.COSIGNATURE_V1, "witness.sigsum.example", witnessKey);
        Cosignature c = new Cosignature(witness.name(), witness.keyHash(),
                Long.parseLong(VECTORS.get("cosignature-timestamp")), HEX.parseHex(VECTORS.get("cosignature-signature-hex")));

        assertThat(c.verifies(cp, witness)).isTrue();
        SignedCheckpoint witnessed = signed.withCosignature(c, witness);
        assertThat(witnessed.cosignature(witness)).contains(c);
        assertThat(SignedCheckpoint.parse(witnessed.bytes(), log).orThrow().cosignature(witness)).contains(c);
        assertThat(new Cosignature(c.keyName(), c.keyHash(), c.timestamp() + 1, c.signature()).verifies(cp, witness)).isFalse();
        assertThat(c.verifies(new Checkpoint(origin, cp.size() + 1, cp.rootHash()), witness)).isFalse();
    }

    @Test
    void publishedCosignerVkey_hasTheTypeFourKeyHash() {
        String vkey = VECTORS.get("cosigner-vkey");
        NoteVerifier v = NoteVerifier.parse(vkey).orThrow();
        assertThat(v.type()).isEqualTo(SignatureType.COSIGNATURE_V1);
        assertThat(v.name()).isEqualTo("remora.n621.de");
        assertThat(v.encoded()).isEqualTo(vkey);
        assertThat(NoteVerifier.parse(vkey.replace("+da77ade7+", "+da77ade8+"))).isInstanceOf(Parsed.Invalid.class);
    }

    @Test
    void specExampleLine_carriesTheTimestampOfItsSignedMessage() {
        Note note = Note.parse(CHECKPOINT.body() + "\n" + VECTORS.get("spec-cosignature-line") + "\n").orThrow();
        Cosignature c = Cosignature.fromNoteSignature(note.signatures().get(0)).orThrow();
        assertThat(c.timestamp()).isEqualTo(Long.parseLong(VECTORS.get("spec-cosignature-timestamp")));
        assertThat(c.keyName()).isEqualTo("witness.example.com/w1");
        assertThat(c.line()).isEqualTo(VECTORS.get("spec-cosignature-line") + "\n");
    }

    @Test
    void sign_equalsAnIndependentEd25519SignatureOfTheSpecMessage() throws Exception {
        NoteSigner cosigner = NoteSigner.parse(asCosignerKey(signedNoteVector("signer-key"))).orThrow();
        assertThat(cosigner.type()).isEqualTo(SignatureType.COSIGNATURE_V1);

        Cosignature c = Cosignature.sign(CHECKPOINT, cosigner, Instant.ofEpochSecond(1679315147, 999_000_000));

        byte[] seed = Base64.getDecoder().decode(signedNoteVector("signer-key").split("\\+", 5)[4]);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(
                new EdECPrivateKeySpec(NamedParameterSpec.ED25519, java.util.Arrays.copyOfRange(seed, 1, 33))));
        jdk.update(("cosignature/v1\ntime 1679315147\ncustos.test/ledger\n20852163\n"
                + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n").getBytes(StandardCharsets.UTF_8));
        assertThat(c.signature()).isEqualTo(jdk.sign());
        assertThat(c.timestamp()).isEqualTo(1679315147);
        byte[] keyId = Merkle.sha256("PeterNeumann".getBytes(StandardCharsets.UTF_8), new byte[] {'\n', 0x04},
                java.util.Arrays.copyOfRange(Base64.getDecoder().decode(signedNoteVector("verifier-key").split("\\+", 3)[2]), 1, 33));
        assertThat(c.keyHash()).isEqualTo(ByteBuffer.wrap(keyId).getInt());
        byte[] wire = Base64.getDecoder().decode(c.line().substring("— PeterNeumann ".length()).strip());
        assertThat(wire).hasSize(4 + 8 + 64);
        assertThat(ByteBuffer.wrap(wire, 4, 8).getLong()).isEqualTo(1679315147);
    }

    @Test
    void sign_thenVerify_roundTrips_andEveryFlippedBitFails() {
        Cosignature c = Cosignature.sign(CHECKPOINT, WITNESS, Instant.ofEpochSecond(1_700_000_000));
        assertThat(c.verifies(CHECKPOINT, WITNESS.verifier())).isTrue();
        String good = CHECKPOINT.body() + "\n" + c.line();
        byte[] bytes = good.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 1;
            if (Note.parse(bad) instanceof Parsed.Ok<Note> ok && Checkpoint.parse(ok.value().text()) instanceof Parsed.Ok<Checkpoint> cp) {
                assertThat(new SignedCheckpoint(cp.value(), ok.value()).cosignature(WITNESS.verifier()))
                        .as("flip at byte %d", i).isEmpty();
            }
        }
    }

    @Test
    void cosignature_doesNotVerifyWithAnotherWitness_orAsANoteSignatureOfTheSameKey() {
        Cosignature c = Cosignature.sign(CHECKPOINT, WITNESS, Instant.ofEpochSecond(1_700_000_000));
        NoteSigner other = NoteSigner.generate(SignatureType.COSIGNATURE_V1, WITNESS.name(), new SecureRandom());
        assertThat(c.verifies(CHECKPOINT, other.verifier())).isFalse();
        Note asNote = new Note(CHECKPOINT.body(), List.of(c.noteSignature()));
        assertThat(asNote.isSignedBy(WITNESS.verifier())).isTrue();
        NoteSigner log = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        assertThat(SignedCheckpoint.parse(asNote.formatBytes(), log.verifier())).isInstanceOf(Parsed.Invalid.class);
    }

    @Test
    void sameSeed_asLogKey_andAsCosignerKey_haveDifferentKeyHashes_andDoNotVerifyEachOther() {
        String skey = signedNoteVector("signer-key");
        NoteSigner log = NoteSigner.parse(skey).orThrow();
        NoteSigner cosigner = NoteSigner.parse(asCosignerKey(skey)).orThrow();
        assertThat(cosigner.verifier().keyHash()).isNotEqualTo(log.verifier().keyHash());
        assertThat(cosigner.verifier()).isNotEqualTo(log.verifier());
        Note logNote = Note.sign(CHECKPOINT.body(), log);
        assertThat(logNote.isSignedBy(cosigner.verifier())).isFalse();
        Cosignature c = Cosignature.sign(CHECKPOINT, cosigner, Instant.ofEpochSecond(5));
        assertThat(new Note(CHECKPOINT.body(), List.of(new Note.Signature(log.name(), log.verifier().keyHash(),
                c.noteSignature().signature()))).isSignedBy(log.verifier())).isFalse();
    }

    @Test
    void timestampAbove2To63Minus1_isRejected() {
        Cosignature c = Cosignature.sign(CHECKPOINT, WITNESS, Instant.ofEpochSecond(7));
        byte[] raw = c.noteSignature().signature();
        raw[0] |= (byte) 0x80;
        Note.Signature line = new Note.Signature(c.keyName(), c.keyHash(), raw);
        assertThat(Cosignature.fromNoteSignature(line)).isInstanceOf(Parsed.Invalid.class);
        assertThat(new Note(CHECKPOINT.body(), List.of(line)).isSignedBy(WITNESS.verifier())).isFalse();
        assertThatThrownBy(() -> new Cosignature("w", 0, -1, new byte[64])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysOfTheWrongType_areRefusedWhereTheyWouldBeMisused() {
        NoteSigner log = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        assertThatThrownBy(() -> Note.sign("hello\n", WITNESS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cosignature/v1");
        assertThatThrownBy(() -> Cosignature.sign(CHECKPOINT, log, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LedgerOptions.of(WITNESS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedLog.of(WITNESS.verifier())).isInstanceOf(IllegalArgumentException.class);
        SignedCheckpoint cp = CHECKPOINT.sign(log);
        assertThatThrownBy(() -> cp.cosignature(log.verifier())).isInstanceOf(IllegalArgumentException.class);
        assertThat(SignedCheckpoint.parse(cp.bytes(), WITNESS.verifier()))
                .isInstanceOfSatisfying(Parsed.Invalid.class, bad -> assertThat(bad.field()).isEqualTo("verifier key"));
    }

    @Test
    void withCosignature_addsOnlyVerifiedCosignatures_andReplacesTheWitnessesOlderOne() {
        NoteSigner log = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        SignedCheckpoint cp = CHECKPOINT.sign(log);
        Cosignature older = Cosignature.sign(CHECKPOINT, WITNESS, Instant.ofEpochSecond(100));
        Cosignature newer = Cosignature.sign(CHECKPOINT, WITNESS, Instant.ofEpochSecond(200));
        SignedCheckpoint once = cp.withCosignature(older, WITNESS.verifier());
        SignedCheckpoint twice = once.withCosignature(newer, WITNESS.verifier());
        assertThat(twice.note().signatures()).hasSize(2);
        assertThat(twice.cosignature(WITNESS.verifier())).contains(newer);
        assertThat(SignedCheckpoint.parse(twice.bytes(), log.verifier()).orThrow().note()).isEqualTo(twice.note());
        Cosignature forged = new Cosignature(newer.keyName(), newer.keyHash(), 300, newer.signature());
        assertThatThrownBy(() -> cp.withCosignature(forged, WITNESS.verifier())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cosignerKey_roundTripsThroughItsPrivateKeyFormat(@TempDir Path dir) throws Exception {
        String encoded = WITNESS.encodedPrivateKey(InsecureKeyAccess.get());
        assertThat(Base64.getDecoder().decode(encoded.split("\\+", 5)[4])[0]).isEqualTo((byte) 0x04);
        NoteSigner parsed = NoteSigner.parse(encoded).orThrow();
        assertThat(parsed.verifier()).isEqualTo(WITNESS.verifier());
        assertThat(Base64.getDecoder().decode(WITNESS.verifier().encoded().split("\\+", 3)[2])[0]).isEqualTo((byte) 0x04);
        assertThat(NoteVerifier.parse(WITNESS.verifier().encoded()).orThrow()).isEqualTo(WITNESS.verifier());

        Path file = dir.resolve("witness.key");
        NoteSigner created = NoteSigner.loadOrCreate(file, SignatureType.COSIGNATURE_V1, "witness.test/w2", new SecureRandom());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(NoteSigner.loadOrCreate(file, SignatureType.COSIGNATURE_V1, "x", new SecureRandom()).verifier())
                .isEqualTo(created.verifier());
        assertThatThrownBy(() -> NoteSigner.loadOrCreate(file, "x", new SecureRandom()))
                .isInstanceOf(LedgerException.class).hasMessageContaining("cosignature/v1");
    }

    private static String signedNoteVector(String key) {
        for (String line : Vectors.lines("signed-note.txt")) {
            if (line.startsWith(key + ": ")) {
                return line.substring(key.length() + 2);
            }
        }
        throw new IllegalStateException(key);
    }

    /** The same seed and name as a cosigner key: type byte 0x04 and the matching key hash. */
    private static String asCosignerKey(String skey) {
        String[] p = skey.split("\\+", 5);
        byte[] key = Base64.getDecoder().decode(p[4]);
        key[0] = 0x04;
        byte[] pub = Ed25519.publicKeyFromSeed(java.util.Arrays.copyOfRange(key, 1, 33));
        int hash = NoteVerifier.keyHash(SignatureType.COSIGNATURE_V1, p[2], pub);
        return "PRIVATE+KEY+" + p[2] + "+" + HEX.toHexDigits(hash) + "+" + Base64.getEncoder().encodeToString(key);
    }
}
