package io.portico.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code portico validate} on routes that split, route canaries and mirror. */
class ValidateTrafficRoutesTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private static final String CONFIG = """
      upstreams:
        - { name: shop-v1, endpoints: [127.0.0.1:9001] }
        - { name: shop-v2, endpoints: [127.0.0.1:9002] }
        - { name: shadow, endpoints: [127.0.0.1:9003] }
      routes:
        - name: shop
          split:  [ { upstream: shop-v1, weight: 90 }, { upstream: shop-v2, weight: 10 } ]
          canary: [ { upstream: shop-v2, header: { X-Canary: "on" } },
                    { upstream: shop-v2, cookie: { beta: "1" } } ]
          mirror: { upstream: shadow, percent: 100 }
      """;

  private int validate(String yaml) throws Exception {
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml);
    return Main.run(List.of("validate", file.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aConfigUsingSplitCanaryAndMirrorIsValid() throws Exception {
    assertThat(validate(CONFIG)).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK " + dir.resolve("gateway.yaml") + " (1 routes, 3 upstreams");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void everyMistakeIsReportedWithFileAndLine() throws Exception {
    String broken = CONFIG
        .replace("    split:", "    upstream: shop-v1\n    split:")
        .replace("weight: 10", "weight: 0")
        .replace("{ upstream: shop-v2, cookie:", "{ upstream: shop-v3, cookie:")
        .replace("mirror: { upstream: shadow, percent: 100 }", "mirror: { upstream: shadw, percent: 101 }");
    String file = dir.resolve("gateway.yaml").toString();

    assertThat(validate(broken)).isEqualTo(1);

    assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
        file + ":7 routes[0].upstream: give upstream or split, not both",
        file + ":8 routes[0].split[1].weight: must be at least 1, got 0",
        file + ":10 routes[0].canary[1].upstream: no upstream named \"shop-v3\" (did you mean \"shop-v1\"?)",
        file + ":11 routes[0].mirror.upstream: no upstream named \"shadw\" (did you mean \"shadow\"?)",
        file + ":11 routes[0].mirror.percent: must be between 0 and 100, got 101");
  }
}
