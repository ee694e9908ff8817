package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.spi.NoConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginChainTest {

  @TempDir Path dir;

  private static final String UPSTREAMS = """
      upstreams:
        - name: users
          endpoints: [127.0.0.1:9001]
      """;

  private static List<String> names(List<PluginBinding> chain) {
    return chain.stream().map(b -> b.factory().name()).toList();
  }

  @Test
  void globalPluginsJoinEveryRouteInStageThenPriorityThenNameOrder() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", UPSTREAMS + """
        plugins:
          sample-headers: { add: { X-Gateway: portico } }
          sample-tag: {}
          sample-limit: { limits: [{ capacity: 10, per: 1s }] }
        routes:
          - name: plain
            upstream: users
          - name: secured
            upstream: users
            plugins:
              sample-auth: { issuer: https://id.example.com }
              sample-mark:
              sample-early: {}
        """);

    ValidatedConfig config = TestConfigs.load(file);

    assertThat(names(config.routePlugins().get("plain")))
        .containsExactly("sample-tag", "sample-limit", "sample-headers");
    // INGRESS: early (50) before mark and tag (5, by name); then AUTHN, TRAFFIC, TRANSFORM
    assertThat(names(config.routePlugins().get("secured")))
        .containsExactly("sample-early", "sample-mark", "sample-tag", "sample-auth", "sample-limit", "sample-headers");
    assertThat(config.routePlugins().get("secured").get(1).config()).isEqualTo(new NoConfig());
  }

  @Test
  void aRouteBlockReplacesTheGlobalOneAndFalseDisablesIt() throws Exception {
    String yaml = UPSTREAMS + """
        plugins:
          sample-limit: { key: ip, limits: [{ capacity: 10, per: 1s }] }
          sample-tag: {}
        routes:
          - name: own-limit
            upstream: users
            plugins:
              sample-limit:
                limits: [{ capacity: 1, per: 1m }]
          - name: no-tag
            upstream: users
            plugins: { sample-tag: false }
        """;
    Path file = TestConfigs.write(dir, "gateway.yaml", yaml);

    ValidatedConfig config = TestConfigs.load(file);

    PluginBinding own = config.routePlugins().get("own-limit").get(1);
    assertThat(own.config()).isEqualTo(new SamplePlugins.LimitConfig(null, List.of(new SamplePlugins.Limit(1, Duration.ofMinutes(1)))));
    assertThat(own.origin()).isEqualTo(new ConfigNode.Origin(file.toString(), TestConfigs.line(yaml, "      sample-limit:")));
    assertThat(names(config.routePlugins().get("no-tag"))).containsExactly("sample-limit");
    assertThat(config.routePlugins().get("no-tag").get(0).config())
        .isEqualTo(new SamplePlugins.LimitConfig("ip", List.of(new SamplePlugins.Limit(10, Duration.ofSeconds(1)))));
  }

  @Test
  void aBadGlobalPluginIsReportedOnceNotPerRoute() {
    Path file = TestConfigs.write(dir, "gateway.yaml", UPSTREAMS + """
        plugins:
          sample-auth: { audiences: [a] }
        routes:
          - { name: a, upstream: users }
          - { name: b, upstream: users }
        """);

    assertThat(TestConfigs.errors(file)).singleElement()
        .hasToString(file + ":5 plugins.sample-auth.issuer: is required");
  }

  @Test
  void discoveryBindsToTheFactoryTypes() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", """
        discovery:
          sample: { cluster: east }
        upstreams:
          - name: users
            discovery: { type: sample, service: users, port: 8080 }
        routes:
          - { name: r, upstream: users }
        """);

    ValidatedConfig config = TestConfigs.load(file);

    DiscoveryBinding binding = config.upstreamDiscovery().get("users");
    assertThat(binding.factory()).isInstanceOf(SampleDiscovery.class);
    assertThat(binding.settings()).isEqualTo(new SampleDiscovery.Settings("east"));
    assertThat(binding.config()).isEqualTo(new SampleDiscovery.Upstream("users", 8080));
    assertThat(binding.origin().line()).isEqualTo(5);
  }

  @Test
  void everyErrorIsReportedAtOnce() {
    String yaml = """
        listen: { port: 99999 }
        upstreams:
          - name: users
            endpoints: [127.0.0.1:9001]
            balancer: fastest
        routes:
          - name: a
            upstream: ghost
            timeout: 3
            plugins:
              sample-limit: { limits: [{ capacity: 0, per: 1s }] }
          - name: b
            upstream: nobody
            match: { path: nope }
        plugins:
          sample-nothing: {}
        """;
    Path file = TestConfigs.write(dir, "gateway.yaml", yaml);

    List<ConfigError> errors = TestConfigs.errors(file);

    assertThat(errors).extracting(e -> e.origin().line() + " " + e.path()).containsExactlyInAnyOrder(
        "1 listen.port",
        TestConfigs.line(yaml, "balancer:") + " upstreams[0].balancer",
        TestConfigs.line(yaml, "upstream: ghost") + " routes[0].upstream",
        TestConfigs.line(yaml, "timeout: 3") + " routes[0].timeout",
        TestConfigs.line(yaml, "capacity: 0") + " routes[0].plugins.sample-limit.limits[0]",
        TestConfigs.line(yaml, "upstream: nobody") + " routes[1].upstream",
        TestConfigs.line(yaml, "match: { path: nope }") + " routes[1].match.path",
        TestConfigs.line(yaml, "sample-nothing") + " plugins.sample-nothing");
    assertThat(errors).allSatisfy(e -> assertThat(e.origin().source()).isEqualTo(file.toString()));
  }

  @Test
  void routePluginsKeepDocumentOrderOfRoutes() throws Exception {
    Path file = TestConfigs.write(dir, "gateway.yaml", UPSTREAMS + """
        routes:
          - { name: z, upstream: users }
          - { name: a, upstream: users }
        """);

    Map<String, List<PluginBinding>> chains = TestConfigs.load(file).routePlugins();

    assertThat(chains.keySet()).containsExactly("z", "a");
    assertThat(chains.get("z")).isEmpty();
  }
}
