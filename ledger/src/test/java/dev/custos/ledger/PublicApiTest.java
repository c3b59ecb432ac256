package dev.custos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Pins the module's public surface: adding a public type is a deliberate change to this list. */
class PublicApiTest {

    @Test
    void publicTypes_areExactlyTheDocumentedApi() {
        Set<String> publicTypes = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().importPath(Path.of("target", "classes"))) {
            if (c.getModifiers().contains(JavaModifier.PUBLIC)) {
                publicTypes.add(c.getName().substring("dev.custos.ledger.".length()));
            }
        }
        assertThat(publicTypes).containsExactlyInAnyOrder(
                "Checkpoint", "ConsistencyProof", "Hash", "InclusionProof", "InsecureKeyAccess", "Ledger",
                "LedgerException", "LedgerOptions", "Merkle", "Note", "Note$Signature", "NoteSigner", "NoteVerifier",
                "Parsed", "Parsed$Invalid", "Parsed$Ok", "Receipt", "SignedCheckpoint", "TileReader", "TileReader$Source",
                "Verifier", "Verifier$Progress", "VerifyResult", "VerifyResult$Clean", "VerifyResult$Failure",
                "VerifyResult$Problem",
                // witnesses (docs/design/witness.md)
                "SignatureType", "Cosignature", "TrustedLog", "Witness", "WitnessResponse", "WitnessResponse$Cosigned",
                "WitnessResponse$Refused", "WitnessResponse$Reason", "WitnessServer", "WitnessClient",
                "WitnessClient$ProofSource", "WitnessClient$Result", "WitnessClient$Cosigned", "WitnessClient$Refused",
                "WitnessClient$Problem", "CosignatureCheck", "CosignatureCheck$Status");
    }
}
