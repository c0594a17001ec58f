package dev.silo.tck;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the module map of DESIGN.md true: data flows one way and nothing below calls up. */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.silo");
  }

  @Test
  void modulesHaveNoCycles() {
    slices().matching("dev.silo.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void schemaDependsOnNothingOfSilo() {
    noClasses()
        .that()
        .resideInAPackage("dev.silo.schema..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.silo.api..",
            "dev.silo.linux..",
            "dev.silo.init..",
            "dev.silo.hcs..",
            "dev.silo.hns..",
            "dev.silo.runhcs..",
            "dev.silo.diag..",
            "dev.silo.daemon..")
        .check(classes);
  }

  @Test
  void substrateDoesNotCallUp() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.silo.linux..", "dev.silo.init..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.silo.hcs..",
            "dev.silo.hns..",
            "dev.silo.runhcs..",
            "dev.silo.diag..",
            "dev.silo.daemon..")
        .check(classes);
  }

  @Test
  void serviceDoesNotKnowItsClients() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.silo.hcs..", "dev.silo.hns..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.silo.runhcs..", "dev.silo.diag..", "dev.silo.daemon..")
        .check(classes);
  }

  @Test
  void nettyStaysInTheDaemonsTransport() {
    // STYLE: transport never leaks into handlers; the routes see ApiRequest/ApiResponse only
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.silo.daemon.http..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }

  @Test
  void noOtherModuleUsesTheDaemon() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.silo.daemon..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.silo.daemon..")
        .check(classes);
  }

  @Test
  void foreignFunctionApiOnlyInTheSubstrate() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.silo.linux..", "dev.silo.init..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("java.lang.foreign..")
        .check(classes);
  }

  @Test
  void internalPackagesStayInsideTheirModule() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.silo.hcs..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.silo.hcs.internal..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.silo.hns..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.silo.hns.internal..")
        .check(classes);
  }
}
