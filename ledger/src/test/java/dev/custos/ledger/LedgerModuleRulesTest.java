package dev.custos.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md: the ledger uses the JDK only, so auditors can build and trust it with nothing else.
 * {@code com.sun.net.httpserver} is the JDK's supported HTTP server (module jdk.httpserver), which the
 * witness's HTTP face uses so that an auditor can run a witness with a bare JDK.
 */
class LedgerModuleRulesTest {
  private final JavaClasses ledger = new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void ledger_dependsOnTheJdkOnly() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..", "javax.security..",
            "com.sun.net.httpserver..", "dev.custos.ledger..", "")
        .because("the ledger module depends on nothing but the JDK")
        .check(ledger);
  }
}
