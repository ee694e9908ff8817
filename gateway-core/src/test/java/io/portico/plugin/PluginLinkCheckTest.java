package io.portico.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.testing.DropInJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drop-in jar is checked against the running plugin API when it loads, not at its first request. */
class PluginLinkCheckTest {
  @TempDir
  Path dir;

  static final String FACTORY = """
      package dropin;
      import io.portico.spi.*;
      import io.vertx.core.Future;
      public class NamingFactory implements PluginFactory<NoConfig> {
        public String name() { return "naming"; }
        public Stage stage() { return Stage.TRANSFORM; }
        public int priority() { return 0; }
        public Class<NoConfig> configType() { return NoConfig.class; }
        public Plugin create(NoConfig config, PluginContext context) {
          return new Plugin() {
            public Future<Decision> onRequest(Exchange exchange) {
              exchange.setConsumer(exchange.routeName());
              return Decision.next().asFuture();
            }
          };
        }
      }
      """;

  @Test
  void aJarThatResolvesAgainstTheRunningApiLoads() {
    Path plugins = dir.resolve("plugins.d");
    DropInJars.build(dir, plugins.resolve("naming.jar"), Map.of("NamingFactory", FACTORY), "NamingFactory", true,
        UnaryOperator.identity());
    assertThat(PluginJars.registry(plugins, getClass().getClassLoader()).pluginNames()).contains("naming");
  }

  @Test
  void aJarCallingAMethodTheApiLacksIsRefusedAtLoadNamingTheMethod() {
    Path plugins = dir.resolve("plugins.d");
    // the same plugin as if built against an API whose Exchange has routeNamf(): same length, so
    // the class file stays valid, and the JVM would only fail at the first request
    DropInJars.build(dir, plugins.resolve("newer.jar"), Map.of("NamingFactory", FACTORY), "NamingFactory", true,
        bytes -> DropInJars.replace(bytes, "routeName", "routeNamf"));
    assertThatThrownBy(() -> PluginJars.registry(plugins, getClass().getClassLoader()))
        .hasMessageContaining("newer.jar")
        .hasMessageContaining("io.portico.spi.Exchange.routeNamf()Ljava/lang/String;");
  }

  @Test
  void aJarUsingAnApiClassTheGatewayLacksIsRefusedAtLoad() {
    Path plugins = dir.resolve("plugins.d");
    DropInJars.build(dir, plugins.resolve("newer.jar"), Map.of("NamingFactory", FACTORY), "NamingFactory", true,
        bytes -> DropInJars.replace(bytes, "io/portico/spi/Decision", "io/portico/spi/Decisiox"));
    assertThatThrownBy(() -> PluginJars.registry(plugins, getClass().getClassLoader()))
        .hasMessageContaining("newer.jar")
        .hasMessageContaining("io.portico.spi.Decisiox");
  }

  @Test
  void aJarWithoutTheManifestEntryOrAPluginStillLoads() throws Exception {
    Path plugins = dir.resolve("plugins.d");
    DropInJars.build(dir, plugins.resolve("bare.jar"), Map.of("NamingFactory", FACTORY), null, false,
        UnaryOperator.identity());
    assertThat(Files.exists(plugins.resolve("bare.jar"))).isTrue();
    assertThat(PluginJars.registry(plugins, getClass().getClassLoader()).pluginNames()).doesNotContain("naming");
  }
}
