package io.portico.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drop-in plugin jars built in the test: compiled from source, packaged, loaded. */
class PluginJarsTest {
  @TempDir
  Path dir;

  private static final String FACTORY = """
      package dropin;
      import io.portico.spi.*;
      public class %1$s implements PluginFactory<NoConfig> {
        public %1$s() { %3$s }
        public String name() { return "%2$s"; }
        public Stage stage() { return Stage.TRANSFORM; }
        public int priority() { return 0; }
        public Class<NoConfig> configType() { return NoConfig.class; }
        public Plugin create(NoConfig config, PluginContext context) { return new Plugin() {}; }
      }
      """;

  @Test
  void loadsAJarsFactoriesNextToTheGatewaysOwn() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins.d"));
    jar(plugins.resolve("good.jar"), "GoodFactory", "drop-in-good", "", "1.0");
    PluginRegistry registry = PluginJars.registry(plugins, getClass().getClassLoader());
    assertThat(registry.pluginNames()).contains("drop-in-good");
    assertThat(registry.plugin("drop-in-good").orElseThrow().getClass().getClassLoader())
        .isNotSameAs(getClass().getClassLoader());
  }

  @Test
  void aJarBuiltAgainstAnotherMajorApiIsRefusedByName() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins.d"));
    jar(plugins.resolve("future.jar"), "FutureFactory", "drop-in-future", "", "2.0");
    assertThatThrownBy(() -> PluginJars.registry(plugins, getClass().getClassLoader()))
        .hasMessageContaining("future.jar")
        .hasMessageContaining("built against plugin API 2.0");
  }

  @Test
  void aDuplicateNameNamesBothOrigins() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins.d"));
    jar(plugins.resolve("a.jar"), "AFactory", "drop-in-twice", "", "1.0");
    jar(plugins.resolve("b.jar"), "BFactory", "drop-in-twice", "", "1.0");
    assertThatThrownBy(() -> PluginJars.registry(plugins, getClass().getClassLoader()))
        .hasMessageContaining("a.jar")
        .hasMessageContaining("b.jar")
        .hasMessageContaining("drop-in-twice");
  }

  @Test
  void aFactoryThatThrowsIsRefusedByName() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins.d"));
    jar(plugins.resolve("throws.jar"), "ThrowingFactory", "drop-in-throws", "throw new IllegalStateException(\"boom\");", "1.0");
    assertThatThrownBy(() -> PluginJars.registry(plugins, getClass().getClassLoader()))
        .hasMessageContaining("throws.jar");
  }

  @Test
  void minorVersionsAreBackwardCompatibleOnly() {
    assertThat(PluginJars.compatible("1.0", "1.2")).isTrue();
    assertThat(PluginJars.compatible("1.3", "1.2")).isFalse();
    assertThat(PluginJars.compatible("2.0", "1.9")).isFalse();
    assertThat(PluginJars.compatible("x", "1.0")).isFalse();
  }

  /** Compiles one factory class and packages it as a plugin jar. */
  private void jar(Path jar, String className, String pluginName, String constructorBody, String apiVersion) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src-" + className).resolve("dropin"));
    Path out = Files.createDirectories(dir.resolve("out-" + className));
    Path source = src.resolve(className + ".java");
    Files.writeString(source, FACTORY.formatted(className, pluginName, constructorBody));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-d", out.toString(), "-cp", System.getProperty("java.class.path"), source.toString());
    assertThat(rc).as("compiling " + className).isZero();
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue(PluginJars.API_ATTRIBUTE, apiVersion);
    try (JarOutputStream jarOut = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      put(jarOut, "dropin/" + className + ".class", Files.readAllBytes(out.resolve("dropin").resolve(className + ".class")));
      put(jarOut, "META-INF/services/io.portico.spi.PluginFactory",
          ("dropin." + className + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void put(JarOutputStream jar, String name, byte[] bytes) throws IOException {
    jar.putNextEntry(new JarEntry(name));
    OutputStream out = jar;
    out.write(bytes);
    jar.closeEntry();
  }

}
