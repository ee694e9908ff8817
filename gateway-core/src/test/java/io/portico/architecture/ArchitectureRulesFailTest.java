package io.portico.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule fails on a deliberately bad sample (under {@code samples}, laid out like
 * the gateway's packages), so a rule that silently checks nothing would show here.
 */
class ArchitectureRulesFailTest {
  private static final String ROOT = "io.portico.architecture.samples";
  private static JavaClasses samples;

  @BeforeAll
  static void importSamples() {
    samples = new ClassFileImporter().importPackages(ROOT);
  }

  @Test
  void aCycleFails() {
    assertFails(ArchitectureRules.noCycles(ROOT), "Cycle detected", "samples.cycle.a.Ping", "samples.cycle.b.Pong");
  }

  @Test
  void anUpwardDependencyFails() {
    // the runtime reaching up into the exchange
    assertFails(ArchitectureRules.stagesPointOneWay(ROOT), "samples.runtime.Engine", "samples.exchange.PeeksAtInternals");
  }

  @Test
  void internalsOutsideTransportFail() {
    assertFails(ArchitectureRules.internalsOnlyInTransport(ROOT), "samples.exchange.PeeksAtInternals",
        "io.vertx.core.internal.ContextInternal");
    assertThatThrownBy(() -> ArchitectureRules.internalsOnlyInTransport(ROOT).check(samples))
        .message().doesNotContain("MayUseInternals");
  }

  @Test
  void anSpiThatSeesTheEngineFails() {
    assertFails(ArchitectureRules.spiSeesNoEngine(ROOT), "samples.spi.LeaksEngine", "samples.runtime.Engine");
  }

  @Test
  void aSecondClassInTheRootPackageFails() {
    assertFails(ArchitectureRules.rootHoldsOnlyEntryPoint(ROOT, "Entry"), "samples.Stray");
  }

  private static void assertFails(ArchRule rule, String... inMessage) {
    assertThatThrownBy(() -> rule.check(samples)).isInstanceOf(AssertionError.class).message().contains(inMessage);
  }
}
