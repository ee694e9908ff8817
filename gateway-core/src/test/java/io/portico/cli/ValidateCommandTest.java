package io.portico.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testing.DropInJars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portico validate} knows the drop-in plugins of the config's {@code plugins-dir}. */
class ValidateCommandTest {
  static final String FACTORY = """
      package dropin;
      import io.portico.spi.*;
      public class GuardFactory implements PluginFactory<GuardFactory.Config> {
        public record Config(long maxBytes) {}
        public String name() { return "size-guard"; }
        public Stage stage() { return Stage.TRAFFIC; }
        public int priority() { return 0; }
        public Class<Config> configType() { return Config.class; }
        public Plugin create(Config config, PluginContext context) { return new Plugin() {}; }
      }
      """;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Path config(String pluginsDir) throws Exception {
    Path conf = Files.createDirectories(dir.resolve("conf"));
    return Files.writeString(conf.resolve("gateway.yaml"), (pluginsDir == null ? "" : "plugins-dir: " + pluginsDir + "\n") + """
        upstreams: [{ name: u, endpoints: [127.0.0.1:1] }]
        routes: [{ name: a, upstream: u, plugins: { size-guard: { max-bytes: 1024 } } }]
        """);
  }

  private void jar(Path jar, String factory) {
    DropInJars.build(dir, jar, Map.of("GuardFactory", FACTORY), factory, true, UnaryOperator.identity());
  }

  private int validate(String... args) {
    return new ValidateCommand().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aConfigUsingADropInPluginIsValidAndARelativePluginsDirIsTakenFromTheConfigFile() throws Exception {
    jar(dir.resolve("conf/plugins/size-guard.jar"), "GuardFactory");
    Path config = config("plugins"); // conf/plugins, not ./plugins of the working directory

    assertThat(validate(config.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK " + config + " (1 routes, 1 upstreams");
  }

  @Test
  void pluginsDirOnTheCommandLine() throws Exception {
    jar(dir.resolve("elsewhere/size-guard.jar"), "GuardFactory");
    Path config = config(null);

    assertThat(validate(config.toString(), "--plugins-dir", dir.resolve("elsewhere").toString())).isZero();
  }

  @Test
  void aMissingJarSaysWhichFolderWasSearched() throws Exception {
    Files.createDirectories(dir.resolve("conf/plugins"));
    Path config = config("plugins");

    assertThat(validate(config.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(config + ":3 routes[0].plugins.size-guard: unknown plugin \"size-guard\"")
        .contains("drop-in jars were looked for in " + dir.resolve("conf/plugins").toAbsolutePath());
  }

  @Test
  void aJarThatDeclaresNoPluginFailsTheSameWay() throws Exception {
    jar(dir.resolve("conf/plugins/size-guard.jar"), null); // no META-INF/services entry
    Path config = config("plugins");

    assertThat(validate(config.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown plugin \"size-guard\"")
        .contains("looked for in " + dir.resolve("conf/plugins").toAbsolutePath());
  }

  @Test
  void aMissingPluginsDirIsNamedWithItsFullPath() throws Exception {
    Path config = config("absent");

    assertThat(validate(config.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(dir.resolve("conf/absent").toAbsolutePath() + " is not a directory");
  }
}
