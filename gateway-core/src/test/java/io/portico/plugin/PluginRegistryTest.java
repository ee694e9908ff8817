package io.portico.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.spi.NoConfig;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRegistryTest {

  /** Declares the name of a sample plugin that is already on the classpath. */
  public static final class ClashingTagFactory implements PluginFactory<NoConfig> {
    @Override public String name() { return "sample-tag"; }
    @Override public Stage stage() { return Stage.INGRESS; }
    @Override public int priority() { return 0; }
    @Override public Class<NoConfig> configType() { return NoConfig.class; }
    @Override public Plugin create(NoConfig config, PluginContext context) { return new Plugin() {}; }
  }

  /** A name that is not kebab-case. */
  public static final class BadlyNamedFactory implements PluginFactory<NoConfig> {
    @Override public String name() { return "RateLimit"; }
    @Override public Stage stage() { return Stage.TRAFFIC; }
    @Override public int priority() { return 0; }
    @Override public Class<NoConfig> configType() { return NoConfig.class; }
    @Override public Plugin create(NoConfig config, PluginContext context) { return new Plugin() {}; }
  }

  private static final ClassLoader APP = PluginRegistryTest.class.getClassLoader();

  @Test
  void findsFactoriesThroughServiceLoader() {
    PluginRegistry registry = PluginRegistry.load(APP);

    assertThat(registry.pluginNames()).contains("sample-limit", "sample-auth", "sample-tag");
    assertThat(registry.plugin("sample-limit")).get().extracting(PluginFactory::stage).isEqualTo(Stage.TRAFFIC);
    assertThat(registry.plugin("nope")).isEmpty();
    assertThat(registry.endpointSource("sample")).isPresent();
    assertThat(registry.endpointSourceTypes()).contains("sample");
  }

  @Test
  void allIsInChainOrder() {
    List<PluginFactory<?>> all = PluginRegistry.load(APP).all();

    assertThat(all).isSortedAccordingTo(PluginRegistry.CHAIN_ORDER);
    assertThat(all.stream().map(PluginFactory::name).filter(n -> n.startsWith("sample-")))
        .containsExactly("sample-early", "sample-mark", "sample-tag", "sample-auth", "sample-limit", "sample-headers");
  }

  @Test
  void aNameDeclaredTwiceNamesBothClasses(@TempDir Path jar) throws Exception {
    Path services = jar.resolve("META-INF/services/io.portico.spi.PluginFactory");
    Files.createDirectories(services.getParent());
    Files.writeString(services, ClashingTagFactory.class.getName() + "\n");

    try (URLClassLoader dropIn = new URLClassLoader(new URL[] {jar.toUri().toURL()}, APP)) {
      // the drop-in loader also sees the application's factories: those count once
      assertThatThrownBy(() -> PluginRegistry.load(List.of(APP, dropIn)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("plugin \"sample-tag\" is declared by both io.portico.config.SamplePlugins$TagFactory and "
              + ClashingTagFactory.class.getName());
    }
  }

  @Test
  void theSameClassSeenThroughTwoLoadersCountsOnce(@TempDir Path jar) throws Exception {
    try (URLClassLoader dropIn = new URLClassLoader(new URL[] {jar.toUri().toURL()}, APP)) {
      PluginRegistry registry = PluginRegistry.load(List.of(APP, dropIn));

      assertThat(registry.pluginNames()).contains("sample-tag");
    }
  }

  @Test
  void namesMustBeKebabCase() {
    assertThatThrownBy(() -> PluginRegistry.of(List.of(new BadlyNamedFactory()), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("plugin name \"RateLimit\" of " + BadlyNamedFactory.class.getName() + " is not kebab-case");
  }
}
