package io.portico.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package map of {@code docs/architecture.md}, checked on the gateway's own classes (and the
 * plugin API's, which are on this module's class path). The rules for plugin modules are checked
 * in gateway-dist, which sees every bundled plugin.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.portico");
  }

  @Test
  void packagesHaveNoCycles() {
    ArchitectureRules.noCycles("io.portico").check(classes);
  }

  @Test
  void stagesPointOneWay() {
    ArchitectureRules.stagesPointOneWay("io.portico").check(classes);
  }

  @Test
  void engineInternalsOnlyInTransport() {
    ArchitectureRules.internalsOnlyInTransport("io.portico").check(classes);
  }

  @Test
  void pluginApiSeesNoEngine() {
    ArchitectureRules.spiSeesNoEngine("io.portico").check(classes);
  }

  @Test
  void rootPackageHoldsOnlyTheEntryPoint() {
    ArchitectureRules.rootHoldsOnlyEntryPoint("io.portico", "PorticoServer").check(classes);
  }
}
