package io.portico.cli;

import io.portico.config.TestConfigs;
import static org.assertj.core.api.Assertions.assertThat;

import io.portico.cli.ValidateCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidateCommandTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Path config) {
    return ValidateCommand.check(TestConfigs.REGISTRY, config,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aValidConfigPrintsASummary() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", """
        upstreams: [{ name: u, endpoints: [127.0.0.1:1] }]
        routes: [{ name: a, upstream: u }, { name: b, upstream: u }]
        """);
    String version = TestConfigs.load(file).version();

    assertThat(run(file)).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("OK " + file + " (2 routes, 1 upstreams, version " + version + ")\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aBrokenConfigPrintsEveryErrorOnItsOwnLine() {
    Path file = TestConfigs.write(dir, "gateway.yaml", """
        upstreams: [{ name: u, endpoints: [127.0.0.1:1] }]
        routes:
          - { name: a, upstream: x }
          - { name: b, upstream: u, timeout: 10 }
        """);

    assertThat(run(file)).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        file + ":3 routes[0].upstream: no upstream named \"x\" (did you mean \"u\"?)",
        file + ":4 routes[1].timeout: expected a duration such as 250ms, 10s, 1m, 2h or 1d, got \"10\"");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMissingFileIsOneError() {
    assertThat(run(dir.resolve("absent.yaml"))).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(dir.resolve("absent.yaml") + " cannot read: no such file\n");
  }
}
