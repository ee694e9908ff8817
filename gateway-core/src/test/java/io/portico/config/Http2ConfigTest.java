package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code protocol} and {@code http2} on upstreams: binding, defaults, and one error per mistake. */
class Http2ConfigTest {

  @TempDir Path dir;

  private static final String VALID = """
      upstreams:
        - name: orders
          endpoints: [127.0.0.1:50051]
          protocol: h2c
          http2: { max-concurrent-streams: 50, max-connections: 3, ping-interval: 10s }
        - name: billing
          endpoints: [127.0.0.1:8443]
          protocol: auto
          tls: { insecure-skip-verify: true }
        - { name: plain, endpoints: [127.0.0.1:9000] }
      routes:
        - { name: orders, match: { path-prefix: /orders.v1.Orders/ }, upstream: orders }
        - { name: billing, match: { path-prefix: /billing }, upstream: billing }
        - { name: rest, upstream: plain }
      """;

  @Test
  void theValidConfigBindsAndDefaults() throws Exception {
    ValidatedConfig config = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", VALID));

    UpstreamConfig orders = config.gateway().upstreams().get(0);
    assertThat(orders.protocol()).isEqualTo(UpstreamProtocol.H2C);
    assertThat(orders.http2()).isEqualTo(new Http2Config(50, 3, Duration.ofSeconds(10)));
    assertThat(config.gateway().upstreams().get(1).protocol()).isEqualTo(UpstreamProtocol.AUTO);
    UpstreamConfig plain = config.gateway().upstreams().get(2);
    assertThat(plain.protocol()).isEqualTo(UpstreamProtocol.HTTP1);
    assertThat(plain.http2()).isEqualTo(new Http2Config(100, 2, Duration.ofSeconds(30)));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        mistake("unknown protocol", "protocol: h3", "protocol: h2c", "protocol: h3",
            "upstreams[0].protocol", "unknown value \"h3\" (did you mean \"h2\"?)"),
        mistake("h2 without tls", "protocol: h2", "protocol: h2c", "protocol: h2",
            "upstreams[0].protocol", "protocol h2 needs a tls: block (ALPN picks the protocol); use h2c for HTTP/2 without TLS"),
        mistake("h2c with tls", "\"h2c\"", "protocol: auto", "protocol: \"h2c\"",
            "upstreams[1].protocol", "h2c is HTTP/2 without TLS: with a tls: block use h2 or auto"),
        mistake("zero streams", "http2:", "max-concurrent-streams: 50", "max-concurrent-streams: 0",
            "upstreams[0].http2.max-concurrent-streams", "must be at least 1, got 0"),
        mistake("zero connections", "http2:", "max-connections: 3", "max-connections: 0",
            "upstreams[0].http2.max-connections", "must be at least 1, got 0"),
        mistake("misspelt http2 key", "http2:", "ping-interval: 10s", "ping-intervall: 10s",
            "upstreams[0].http2.ping-intervall", "unknown key \"ping-intervall\" (did you mean \"ping-interval\"?)"));
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
  }
}
