package dev.custos.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** DESIGN.md: store adapts PostgreSQL; it knows nothing of HTTP. */
class StoreModuleRulesTest {
  @Test
  void store_dependsOnNoHttp() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "javax.servlet..")
        .check(new ClassFileImporter().importPath(Path.of("target", "classes")));
  }
}
