package dev.custos.identity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DESIGN.md: identity has no HTTP framework and no SQL; time and randomness are injected. */
class IdentityModuleRulesTest {
  /** This module's own classes: its build output, not its dependencies'. */
  private final JavaClasses identity = new ClassFileImporter().importPath(Path.of("target", "classes"));

  @Test
  void identity_dependsOnNoHttpOrSql() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..", "java.net.http..",
            "com.sun.net.httpserver..", "java.sql..", "javax.sql..", "org.postgresql..", "com.zaxxer..",
            "org.flywaydb..", "org.jdbi..")
        .because("identity holds authentication logic and its ports; adapters live in store and server")
        .check(identity);
  }

  @Test
  void identity_neverReadsTheWallClockOrGlobalRandomnessDirectly() {
    noClasses().should().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callConstructor(java.util.Random.class)
        .orShould().callConstructor(java.security.SecureRandom.class)
        .because("time and randomness are injected (InstantSource, SecureRandom) so tests and the simulator are deterministic")
        .check(identity);
  }

  @Test
  void nimbus_isUsedOnlyBySingleSignOn() {
    noClasses().that().resideOutsideOfPackage("dev.custos.identity.oidc..")
        .should().dependOnClassesThat().resideInAPackage("com.nimbusds..")
        .because("OIDC protocol details stay in dev.custos.identity.oidc, whose API speaks Custos types")
        .check(identity);
  }

  @Test
  void yubico_isUsedOnlyInTheWebAuthnPackage() {
    noClasses().that().resideOutsideOfPackage("dev.custos.identity.webauthn")
        .should().dependOnClassesThat().resideInAPackage("com.yubico..")
        .because("one package wraps webauthn-server-core; the rest of Custos sees only its sealed results")
        .check(identity);
  }

  @Test
  void bouncyCastle_isUsedOnlyByThePasswordHasher() {
    noClasses().that().doNotHaveSimpleName("PasswordHasher")
        .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
        .because("one place decides how passwords are hashed")
        .check(identity);
  }
}
