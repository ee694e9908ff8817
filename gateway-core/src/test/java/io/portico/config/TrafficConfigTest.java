package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.cli.ValidateCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code split}, {@code canary} and {@code mirror} on routes: binding, and one error per mistake. */
class TrafficConfigTest {

  @TempDir Path dir;

  /** A valid config using all three; each case below changes one thing in it. */
  private static final String VALID = """
      upstreams:
        - { name: shop-v1, endpoints: [127.0.0.1:9001] }
        - { name: shop-v2, endpoints: [127.0.0.1:9002] }
        - { name: shadow, endpoints: [127.0.0.1:9003] }
      routes:
        - name: shop
          match: { path-prefix: /shop }
          split: [ { upstream: shop-v1, weight: 90 }, { upstream: shop-v2, weight: 10 } ]
          canary:
            - { upstream: shop-v2, header: { X-Canary: "on" } }
            - { upstream: shop-v2, cookie: { beta: "1" } }
          mirror: { upstream: shadow, percent: 50, timeout: 2s }
        - name: users
          upstream: shop-v1
          canary: [ { upstream: shop-v2, header: { X-Beta: "*" }, cookie: { team: blue } } ]
          mirror: { upstream: shadow }
      """;

  @Test
  void theValidConfigBindsEveryField() throws Exception {
    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", VALID));

    RouteConfig shop = config.gateway().routes().get(0);
    assertThat(shop.upstream()).isNull();
    assertThat(shop.defaultUpstream()).isEqualTo("shop-v1");
    assertThat(shop.split()).containsExactly(new SplitConfig("shop-v1", 90), new SplitConfig("shop-v2", 10));
    assertThat(shop.canary()).containsExactly(
        new CanaryConfig("shop-v2", Map.of("X-Canary", "on"), Map.of()),
        new CanaryConfig("shop-v2", Map.of(), Map.of("beta", "1")));
    assertThat(shop.mirror()).isEqualTo(new MirrorConfig("shadow", 50, Duration.ofSeconds(2)));
    RouteConfig users = config.gateway().routes().get(1);
    assertThat(users.defaultUpstream()).isEqualTo("shop-v1");
    assertThat(users.split()).isEmpty();
    assertThat(users.mirror()).isEqualTo(new MirrorConfig("shadow", 100, null));
  }

  @Test
  void aSplitWeightDefaultsToOne() throws Exception {
    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", """
        upstreams: [{ name: a, endpoints: [127.0.0.1:1] }, { name: b, endpoints: [127.0.0.1:2] }]
        routes: [{ name: r, split: [{ upstream: a }, { upstream: b, weight: 3 }] }]
        """));

    assertThat(config.gateway().routes().get(0).split()).containsExactly(new SplitConfig("a", 1), new SplitConfig("b", 3));
  }

  @Test
  void validateAcceptsAConfigUsingSplitCanaryAndMirror() {
    Path file = TestConfigs.write(dir, "gateway.yaml", VALID);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = ValidateCommand.check(TestConfigs.REGISTRY, file,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("OK " + file + " (2 routes, 3 upstreams");
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("upstream and split", "upstream: shop-v1", "    split:", "    upstream: shop-v1\n    split:",
            "routes[0].upstream", "give upstream or split, not both"),
        mistake("neither upstream nor split", "- name: shop", "    split: [ { upstream: shop-v1, weight: 90 }, { upstream: shop-v2, weight: 10 } ]\n", "",
            "routes[0].upstream", "is required (or give split)"),
        mistake("misspelt split", "splt:", "    split:", "    splt:",
            "routes[0].splt", "unknown key \"splt\" (did you mean \"split\"?)"),
        mistake("empty split", "split:", "split: [ { upstream: shop-v1, weight: 90 }, { upstream: shop-v2, weight: 10 } ]", "split: []",
            "routes[0].split", "needs at least one upstream"),
        mistake("unknown upstream in split", "split:", "{ upstream: shop-v2, weight: 10 }", "{ upstream: shop-v22, weight: 10 }",
            "routes[0].split[1].upstream", "no upstream named \"shop-v22\" (did you mean \"shop-v2\"?)"),
        mistake("weight 0", "split:", "{ upstream: shop-v2, weight: 10 }", "{ upstream: shop-v2, weight: 0 }",
            "routes[0].split[1].weight", "must be at least 1, got 0"),
        mistake("an upstream twice in a split", "split:", "{ upstream: shop-v2, weight: 10 }", "{ upstream: shop-v1, weight: 10 }",
            "routes[0].split[1].upstream", "upstream \"shop-v1\" is already in the split"),
        mistake("split entry without upstream", "split:", "{ upstream: shop-v2, weight: 10 }", "{ weight: 10 }",
            "routes[0].split[1].upstream", "is required"),
        mistake("unknown upstream in canary", "cookie: { beta", "{ upstream: shop-v2, cookie: { beta: \"1\" } }",
            "{ upstream: shop-vv2, cookie: { beta: \"1\" } }",
            "routes[0].canary[1].upstream", "no upstream named \"shop-vv2\" (did you mean \"shop-v2\"?)"),
        mistake("canary rule without condition", "- { upstream: shop-v2 }", "{ upstream: shop-v2, cookie: { beta: \"1\" } }", "{ upstream: shop-v2 }",
            "routes[0].canary[1]", "needs header or cookie (a rule that matches every request is a plain upstream)"),
        mistake("misspelt canary key", "headers:", "{ upstream: shop-v2, header: { X-Canary: \"on\" } }",
            "{ upstream: shop-v2, headers: { X-Canary: \"on\" } }",
            "routes[0].canary[0].headers", "unknown key \"headers\" (did you mean \"header\"?)"),
        mistake("bad header name in canary", "X Canary", "header: { X-Canary: \"on\" }", "header: { \"X Canary\": \"on\" }",
            "routes[0].canary[0].header.X Canary", "not a header name: \"X Canary\""),
        mistake("unknown upstream in mirror", "mirror: { upstream: shadw", "mirror: { upstream: shadow, percent: 50",
            "mirror: { upstream: shadw, percent: 50",
            "routes[0].mirror.upstream", "no upstream named \"shadw\" (did you mean \"shadow\"?)"),
        mistake("unknown upstream far from any name", "mirror: { upstream: elsewhere", "mirror: { upstream: shadow, percent: 50",
            "mirror: { upstream: elsewhere, percent: 50",
            "routes[0].mirror.upstream", "no upstream named \"elsewhere\""),
        mistake("mirror percent over 100", "percent: 101", "percent: 50", "percent: 101",
            "routes[0].mirror.percent", "must be between 0 and 100, got 101"),
        mistake("mirror timeout zero", "timeout: 0s", "timeout: 2s", "timeout: 0s",
            "routes[0].mirror.timeout", "must be longer than zero"),
        mistake("mirror without upstream", "mirror: { percent", "mirror: { upstream: shadow, percent: 50", "mirror: { percent: 50",
            "routes[0].mirror.upstream", "is required"),
        mistake("route to an unknown upstream, with a hint", "upstream: shop-v3", "    upstream: shop-v1", "    upstream: shop-v3",
            "routes[1].upstream", "no upstream named \"shop-v3\" (did you mean \"shop-v1\"?)"));
  }

  private static Arguments mistake(String what, String lineMarker, String find, String replace, String path, String message) {
    if (!VALID.contains(find)) {
      throw new IllegalArgumentException(what + ": the valid config has no " + find);
    }
    String yaml = VALID.replaceFirst(Pattern.quote(find), Matcher.quoteReplacement(replace));
    return Arguments.of(what, yaml, TestConfigs.line(yaml, lineMarker), path, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void eachMistakeGivesOneErrorWithFileLineAndPath(String what, String yaml, int line, String path, String message) {
    Path file = TestConfigs.write(dir, "gateway.yaml", yaml);

    List<ConfigError> errors = TestConfigs.errors(file);

    assertThat(errors).as(what).hasSize(1);
    ConfigError error = errors.get(0);
    assertThat(error.path()).as(what).isEqualTo(path);
    assertThat(error.message()).as(what).isEqualTo(message);
    assertThat(error.origin()).as(what).isEqualTo(new ConfigNode.Origin(file.toString(), line));
    assertThat(error.toString()).as(what).isEqualTo(file + ":" + line + " " + path + ": " + message);
  }
}
