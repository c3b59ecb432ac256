package dev.custos.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DESIGN.md: core has no HTTP, SQL, Kafka or framework dependency (Tink is allowed). */
class CoreModuleRulesTest {
  /** This module's own classes: its build output, not its dependencies'. */
  private final JavaClasses core = new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void core_dependsOnNoHttpSqlKafkaOrFramework() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..", "java.net.http..",
            "com.sun.net.httpserver..",
            "java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer..", "org.flywaydb..", "org.jdbi..",
            "org.apache.kafka..",
            "org.springframework..", "io.micronaut..", "io.quarkus..", "com.fasterxml.jackson..", "picocli..")
        .because("core holds the domain and its ports; adapters live in store, stream and server")
        .check(core);
  }

  @Test
  void core_neverReadsTheWallClockOrGlobalRandomnessDirectly() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callConstructor(java.util.Random.class)
        .because("time and randomness are injected (InstantSource, RandomGenerator) so tests and the simulator are deterministic")
        .check(core);
  }

  @Test
  void onlyTheAccessBrokerOpensTheVault() {
    noClasses().that().doNotHaveFullyQualifiedName("dev.custos.access.AccessBroker")
        .and().doNotHaveFullyQualifiedName("dev.custos.vault.Vault")
        .and().doNotHaveFullyQualifiedName("dev.custos.vault.Vault$Prepared")
        // The system's own reads for an incident (nationality for the regulator, e-mail for the
        // notification): the same rule as the broker's, ledger entry durable before decryption.
        .and().doNotHaveFullyQualifiedName("dev.custos.incident.IncidentReads")
        .should().callMethod(dev.custos.vault.Vault.class, "open", dev.custos.ledger.Receipt.class,
            dev.custos.access.CustomerId.class, java.util.Set.class)
        .orShould().callMethod(dev.custos.vault.Vault.Prepared.class, "open", dev.custos.ledger.Receipt.class)
        .because("plaintext leaves the vault only on the one path: decision, durable ledger entry, then open")
        .check(core);
  }
}
