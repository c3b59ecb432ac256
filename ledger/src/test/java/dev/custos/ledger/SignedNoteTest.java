package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedNoteTest {

    private final String vkey;
    private final String skey;
    private final String text;
    private final String signatureLine;

    SignedNoteTest() {
        String v = null;
        String s = null;
        String sig = null;
        StringBuilder t = new StringBuilder();
        for (String line : Vectors.lines("signed-note.txt")) {
            if (line.startsWith("verifier-key: ")) {
                v = line.substring("verifier-key: ".length());
            } else if (line.startsWith("signer-key: ")) {
                s = line.substring("signer-key: ".length());
            } else if (line.startsWith("text-line: ")) {
                t.append(line.substring("text-line: ".length())).append('\n');
            } else if (line.startsWith("signature-line: ")) {
                sig = line.substring("signature-line: ".length());
            }
        }
        vkey = v;
        skey = s;
        text = t.toString();
        signatureLine = sig;
    }

    private String expectedNote() {
        return text + "\n" + signatureLine + "\n";
    }

    @Test
    void sign_reproducesReferenceNoteByteForByte() {
        NoteSigner signer = NoteSigner.parse(skey).orThrow();
        assertThat(Note.sign(text, signer).formatBytes()).isEqualTo(expectedNote().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signerKey_derivesReferenceVerifierKey() {
        NoteSigner signer = NoteSigner.parse(skey).orThrow();
        assertThat(signer.verifier().encoded()).isEqualTo(vkey);
        assertThat(signer.encodedPrivateKey(InsecureKeyAccess.get())).isEqualTo(skey);
    }

    @Test
    void referenceNote_verifiesWithReferenceKey() {
        NoteVerifier v = NoteVerifier.parse(vkey).orThrow();
        Note note = Note.parse(expectedNote()).orThrow();
        assertThat(note.text()).isEqualTo(text);
        assertThat(note.isSignedBy(v)).isTrue();
    }

    @Test
    void note_withAnyFlippedByte_isRejectedOrUnsigned() {
        NoteVerifier v = NoteVerifier.parse(vkey).orThrow();
        byte[] good = expectedNote().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < good.length; i++) {
            for (int bit : new int[] {0, 5}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                Parsed<Note> parsed = Note.parse(bad);
                if (parsed instanceof Parsed.Ok<Note> ok) {
                    assertThat(ok.value().isSignedBy(v)).as("flip at byte %d bit %d", i, bit).isFalse();
                }
            }
        }
    }

    @Test
    void signer_toString_isRedacted() {
        NoteSigner signer = NoteSigner.parse(skey).orThrow();
        assertThat(signer.toString()).contains("PeterNeumann").doesNotContain("AYEK").contains("redacted");
    }

    @Test
    void verifierKey_withWrongHash_isInvalid() {
        Parsed<NoteVerifier> p = NoteVerifier.parse(vkey.replace("c74f20a3", "c74f20a4"));
        assertThat(p).isInstanceOfSatisfying(Parsed.Invalid.class, bad -> assertThat(bad.field()).isEqualTo("verifier key hash"));
    }

    @Test
    void malformedKeysAndNotes_giveErrorsNotExceptions() {
        Random r = new Random(42);
        List<String> samples = new ArrayList<>(List.of("", "+", "a+b", "a+b+c", "PRIVATE+KEY+", "PRIVATE+KEY+a+00000000+AAAA",
                vkey + "+x", "na me+00000000+AQ==", "\n\n", "x\n\n— \n", "x\n\n— a !!!\n", "x\n\n— a AAAA\n", "x\n\n"));
        for (int i = 0; i < 200; i++) {
            char[] c = new char[r.nextInt(40)];
            for (int j = 0; j < c.length; j++) {
                c[j] = "ab+/=\n— 0x".charAt(r.nextInt(10));
            }
            samples.add(new String(c));
        }
        for (String s : samples) {
            assertThat(NoteVerifier.parse(s)).isNotNull();
            assertThat(NoteSigner.parse(s)).isNotNull();
            assertThat(Note.parse(s)).isNotNull();
            assertThat(Checkpoint.parse(s)).isNotNull();
        }
        assertThat(NoteSigner.parse("PRIVATE+KEY+a+00000000+AAAA").toString()).doesNotContain("AAAA");
    }

    @Test
    void generatedKey_signsAndVerifies_andOtherKeyDoesNot() {
        NoteSigner a = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        NoteSigner b = NoteSigner.generate("custos.test/ledger", new SecureRandom());
        Note note = Note.sign("hello\n", a);
        assertThat(note.isSignedBy(a.verifier())).isTrue();
        assertThat(note.isSignedBy(b.verifier())).isFalse();
        assertThat(NoteVerifier.parse(a.verifier().encoded()).orThrow()).isEqualTo(a.verifier());
    }

    @Test
    void keyName_withPlusOrSpace_isRefused() {
        assertThatThrownBy(() -> NoteSigner.generate("a+b", new SecureRandom())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NoteSigner.generate("a b", new SecureRandom())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void loadOrCreate_writesOwnerOnlyKeyFile_andLoadsItBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/ledger.key");
        NoteSigner created = NoteSigner.loadOrCreate(file, "custos.test/ledger", new SecureRandom());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        NoteSigner loaded = NoteSigner.load(file);
        assertThat(loaded.verifier()).isEqualTo(created.verifier());
        assertThat(NoteSigner.loadOrCreate(file, "other", new SecureRandom()).verifier()).isEqualTo(created.verifier());
    }

    @Test
    void load_ofGarbageFile_namesFileButNotContents(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "PRIVATE+KEY+x+00000000+c2VjcmV0c2VjcmV0");
        assertThatThrownBy(() -> NoteSigner.load(file))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("c2VjcmV0c2VjcmV0");
    }
}
