package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config contract of adaptive concurrency, hedging and overload protection, as written in the issue. */
class ResilienceConfigTest {
  @TempDir Path dir;

  private static final String CONTRACT = """
      upstreams:
        - name: users
          endpoints: [127.0.0.1:9001]
          adaptive-concurrency:
            algorithm: gradient2
            initial-limit: 20
            min-limit: 4
            max-limit: 1000
            queue: { size: 0, timeout: 50ms }
      routes:
        - name: users-read
          match: { path-prefix: /users }
          upstream: users
          hedge: { after: 50ms, max-extra: 1, budget-percent: 10 }
        - name: users-learned
          match: { path-prefix: /learned }
          upstream: users
          hedge: { after: p95 }
      overload:
        max-connections: 20000
        event-loop-lag: { shed-above: 100ms }
        heap: { shed-above: 90% }
      """;

  @Test
  void theContractFromTheIssueBinds() throws Exception {
    GatewayConfig gateway = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", CONTRACT)).gateway();

    AdaptiveConcurrencyConfig limit = gateway.upstreams().get(0).adaptiveConcurrency();
    assertThat(limit).isEqualTo(new AdaptiveConcurrencyConfig("gradient2", 20, 4, 1000,
        new AdaptiveConcurrencyConfig.Queue(0, Duration.ofMillis(50))));
    assertThat(gateway.routes().get(0).hedge()).isEqualTo(new HedgeConfig(new HedgeConfig.After(50, false), 1, 10));
    assertThat(gateway.routes().get(1).hedge()).isEqualTo(new HedgeConfig(new HedgeConfig.After(0, true), 1, 10));
    assertThat(gateway.overload().maxConnections()).isEqualTo(20000);
    assertThat(gateway.overload().eventLoopLag().shedAbove()).isEqualTo(Duration.ofMillis(100));
    assertThat(gateway.overload().heap().shedAbove().fraction()).isEqualTo(0.9);
  }

  @Test
  void absentBlocksMeanNoneOfIt() throws Exception {
    GatewayConfig gateway = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", """
        upstreams: [{ name: users, endpoints: [127.0.0.1:9001] }]
        routes: [{ name: r, match: { path-prefix: / }, upstream: users }]
        """)).gateway();

    assertThat(gateway.upstreams().get(0).adaptiveConcurrency()).isNull();
    assertThat(gateway.routes().get(0).hedge()).isNull();
    assertThat(gateway.overload()).isEqualTo(new OverloadConfig(null, null, null));
  }

  @Test
  void mistakesAreConfigErrorsWithTheirPath() {
    String yaml = CONTRACT.replace("algorithm: gradient2", "algorithm: gradient3")
        .replace("after: p95", "after: p99").replace("shed-above: 90%", "shed-above: 190%");

    List<ConfigError> errors = TestConfigs.errors(TestConfigs.write(dir, "gateway.yaml", yaml));

    assertThat(errors).extracting(ConfigError::path).contains("upstreams[0].adaptive-concurrency",
        "routes[1].hedge.after", "overload.heap.shed-above");
    assertThat(errors).hasSize(3);
  }
}
