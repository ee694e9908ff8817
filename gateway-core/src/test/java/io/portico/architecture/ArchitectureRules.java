package io.portico.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of the gateway's package map (see {@code docs/architecture.md}), written once for any
 * root package, so that they check the real code under {@code io.portico} and, in
 * {@link ArchitectureRulesFailTest}, deliberately bad samples under another root.
 */
final class ArchitectureRules {
  /** Where the engine's internals (Vert.x {@code impl}/{@code internal}, Netty) may be used. */
  static final String[] TRANSPORT = {"server..", "upstream.."};

  private ArchitectureRules() {}

  /** No cycle between any two packages (each sub-package is a slice of its own). */
  static ArchRule noCycles(String root) {
    return slices().matching(root + ".(**)").should().beFreeOfCycles();
  }

  /** Vert.x internals and Netty only in the listener, its framing guard and the upstream client. */
  static ArchRule internalsOnlyInTransport(String root) {
    String[] transport = new String[TRANSPORT.length];
    for (int i = 0; i < transport.length; i++) {
      transport[i] = root + "." + TRANSPORT[i];
    }
    return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackages(transport)
        .should().dependOnClassesThat().resideInAnyPackage("io.netty..", "io.vertx..impl..", "io.vertx..internal..")
        .because("the engine's internals change between releases; only the transport packages may touch them");
  }

  /** The plugin API sees nothing of the engine: plugins compile against it alone. */
  static ArchRule spiSeesNoEngine(String root) {
    return noClasses().that().resideInAPackage(root + ".spi..")
        .should().dependOnClassesThat(resideInAPackage(root + "..").and(not(resideInAPackage(root + ".spi.."))))
        .because("plugins compile against plugin-api alone");
  }

  /**
   * The request path's stages, outermost first; a stage may use the ones below it, never one
   * above. Launch (entry point, command line, admin API, live config) sits on top.
   */
  static ArchRule stagesPointOneWay(String root) {
    return layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
        .layer("Launch").definedBy(root, root + ".cli..", root + ".demo..", root + ".admin..", root + ".registry..",
            root + ".config.live..")
        .layer("Transport").definedBy(root + ".server..")
        .layer("Exchange").definedBy(root + ".exchange..")
        .layer("Runtime").definedBy(root + ".runtime..")
        .layer("Chain").definedBy(root + ".chain..")
        .layer("Upstream").definedBy(root + ".upstream..")
        .layer("Endpoints").definedBy(root + ".endpoint..", root + ".balance..", root + ".health..", root + ".route..")
        .layer("Config").definedBy(root + ".config", root + ".config.bind..", root + ".config.check..",
            root + ".config.source..", root + ".config.load..", root + ".plugin..", root + ".tls..")
        .whereLayer("Launch").mayNotBeAccessedByAnyLayer()
        .whereLayer("Transport").mayOnlyBeAccessedByLayers("Launch")
        .whereLayer("Exchange").mayOnlyBeAccessedByLayers("Transport")
        .whereLayer("Runtime").mayOnlyBeAccessedByLayers("Launch", "Transport", "Exchange")
        .whereLayer("Chain").mayOnlyBeAccessedByLayers("Launch", "Transport", "Exchange", "Runtime")
        .whereLayer("Upstream").mayOnlyBeAccessedByLayers("Launch", "Transport", "Exchange", "Runtime")
        .whereLayer("Endpoints").mayOnlyBeAccessedByLayers("Launch", "Transport", "Exchange", "Runtime", "Upstream",
            "Config");
  }

  /** The root package holds the public entry point only. */
  static ArchRule rootHoldsOnlyEntryPoint(String root, String entryPoint) {
    return classes().that().resideInAPackage(root).and().areTopLevelClasses().should().haveSimpleName(entryPoint)
        .because("the root package is the public entry point; everything else lives in its stage's package");
  }
}
