package io.portico.dist;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.portico.plugins.samplea.UsesEngine;
import io.portico.plugins.samplea.UsesOtherPlugin;
import io.portico.plugins.sampleb.OtherPlugin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every plugin module (all of {@code plugins/} but the testkit, which runs a whole gateway for
 * tests) is built against {@code plugin-api} alone: it imports {@code io.portico.spi} and its own
 * package, nothing of the engine and nothing of another plugin. Checked here because this module
 * has every bundled plugin (and the example) on its class path.
 */
class PluginBoundariesTest {
  private static final String PLUGINS = "io.portico.plugins";
  private static final String EXAMPLES = "com.example.portico";
  private static JavaClasses plugins;

  /** Nothing of {@code io.portico} but the plugin API and the plugins' own packages. */
  static final ArchRule ONLY_THE_PLUGIN_API = noClasses()
      .that().resideInAnyPackage(PLUGINS + "..", EXAMPLES + "..")
      .should().dependOnClassesThat(resideInAPackage("io.portico..")
          .and(not(resideInAPackage("io.portico.spi..")))
          .and(not(resideInAPackage(PLUGINS + ".."))))
      .because("plugins are built against plugin-api alone");

  /** No plugin uses another's classes. */
  static final ArchRule NOT_EACH_OTHER = slices().matching(PLUGINS + ".(*)..").should().notDependOnEachOther();

  @BeforeAll
  static void importPlugins() {
    plugins = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(PLUGINS, EXAMPLES);
  }

  @Test
  void pluginsImportOnlyThePluginApi() {
    ONLY_THE_PLUGIN_API.check(plugins);
  }

  @Test
  void pluginsDoNotUseEachOther() {
    NOT_EACH_OTHER.check(plugins);
  }

  @Test
  void theRulesSeeEveryBundledPlugin() {
    for (String module : new String[] {"breaker", "essentials", "etcd", "jwt", "kubernetes", "observability", "ratelimit"}) {
      assertThat(plugins.containPackage(PLUGINS + "." + module)).as(module).isTrue();
    }
    assertThat(plugins.containPackage(EXAMPLES + ".apikey")).isTrue();
  }

  @Test
  void aPluginThatUsesTheEngineFails() {
    JavaClasses bad = new ClassFileImporter().importClasses(UsesEngine.class);
    assertThatThrownBy(() -> ONLY_THE_PLUGIN_API.check(bad)).isInstanceOf(AssertionError.class)
        .message().contains("UsesEngine", "io.portico.server.Gateway");
  }

  @Test
  void aPluginThatUsesAnotherFails() {
    JavaClasses bad = new ClassFileImporter().importClasses(UsesOtherPlugin.class, OtherPlugin.class);
    assertThatThrownBy(() -> NOT_EACH_OTHER.check(bad)).isInstanceOf(AssertionError.class)
        .message().contains("UsesOtherPlugin", "OtherPlugin");
  }
}
