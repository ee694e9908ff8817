package io.portico.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config of gRPC health checks and gRPC-Web routes, as written in the issue. */
class GrpcConfigTest {
  @TempDir Path dir;

  private static final String CONTRACT = """
      upstreams:
        - name: orders
          endpoints: [10.0.0.9:50051]
          health-check: { type: grpc, service: orders.v1.Orders, interval: 2s }
      routes:
        - name: orders
          match: { path-prefix: /orders.v1.Orders/ }
          upstream: orders
          grpc-web: true
      """;

  @Test
  void theContractBinds() throws Exception {
    GatewayConfig gateway = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", CONTRACT)).gateway();

    HealthCheckConfig check = gateway.upstreams().get(0).healthCheck();
    assertThat(check.type()).isEqualTo("grpc");
    assertThat(check.service()).isEqualTo("orders.v1.Orders");
    assertThat(check.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(gateway.routes().get(0).grpcWeb()).isTrue();
  }

  @Test
  void defaultsAreTheOverallHealthAndNoGrpcWeb() throws Exception {
    GatewayConfig gateway = TestConfigs.load(TestConfigs.write(dir, "gateway.yaml", """
        upstreams: [{ name: orders, endpoints: [127.0.0.1:9001], health-check: { type: grpc } }]
        routes: [{ name: r, match: { path-prefix: / }, upstream: orders }]
        """)).gateway();

    assertThat(gateway.upstreams().get(0).healthCheck().service()).isEmpty();
    assertThat(gateway.routes().get(0).grpcWeb()).isFalse();
  }

  @Test
  void mistakesAreConfigErrorsWithTheirPathAndLine() {
    String yaml = """
        upstreams:
          - name: a
            endpoints: [127.0.0.1:9001]
            health-check: { type: grpc, service: "orders v1", path: /healthz, statuses: [200] }
          - name: b
            endpoints: [127.0.0.1:9002]
            health-check: { type: http, service: orders.v1.Orders }
          - name: c
            endpoints: [127.0.0.1:9003]
            health-check: { type: grcp }
        routes:
          - { name: r, match: { path-prefix: / }, upstream: a, grpc-web: maybe }
        """;

    List<ConfigError> errors = TestConfigs.errors(TestConfigs.write(dir, "gateway.yaml", yaml));

    assertThat(errors).extracting(ConfigError::path).containsExactlyInAnyOrder(
        "upstreams[0].health-check.service", "upstreams[0].health-check.path", "upstreams[0].health-check.statuses",
        "upstreams[1].health-check.service", "upstreams[2].health-check.type", "routes[0].grpc-web");
    assertThat(errors).filteredOn(e -> e.path().equals("upstreams[0].health-check.path"))
        .extracting(ConfigError::message).containsExactly("only used by type http, not grpc");
    assertThat(errors).filteredOn(e -> e.path().equals("upstreams[2].health-check.type"))
        .extracting(ConfigError::message).allMatch(m -> m.contains("expected http, tcp or grpc") && m.contains("grpc"));
    assertThat(errors).filteredOn(e -> e.path().equals("upstreams[0].health-check.service"))
        .extracting(e -> e.origin().line()).containsExactly(4);
  }
}
