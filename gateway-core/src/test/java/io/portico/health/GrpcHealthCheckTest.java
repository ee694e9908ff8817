package io.portico.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.portico.endpoint.EndpointState;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.GrpcBackend;
import io.portico.testing.Http;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code type: grpc} active checks against a real grpc-java server's standard health service. */
class GrpcHealthCheckTest {
  private static final String SERVICE = "orders.v1.Orders";

  @TempDir
  Path dir;
  Vertx vertx;
  Gateway gateway;
  GrpcBackend first;
  GrpcBackend second;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    first = GrpcBackend.start();
    second = GrpcBackend.start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    Await.result(vertx.close());
    first.close();
    second.close();
  }

  private void startGateway(String upstreams) {
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
        %s
        routes:
          - { name: orders, match: { path-prefix: / }, upstream: orders }
        """.formatted(upstreams.indent(2)))));
  }

  private EndpointState state(String upstream, int port) {
    return gateway.upstream(upstream).health().states().stream()
        .filter(s -> s.endpoint().port() == port).findFirst().orElseThrow();
  }

  private int serving(String upstream) {
    return gateway.upstream(upstream).current().servingCount();
  }

  @Test
  void anEndpointWhoseServiceSaysNotServingIsTakenOutAndComesBackWhenServing() {
    first.health().setStatus(SERVICE, ServingStatus.SERVING);
    second.health().setStatus(SERVICE, ServingStatus.SERVING);
    startGateway("""
        - name: orders
          endpoints: [127.0.0.1:%d, 127.0.0.1:%d]
          health-check: { type: grpc, service: %s, interval: 100ms, timeout: 1s, healthy: 1, unhealthy: 1 }
        """.formatted(first.port(), second.port(), SERVICE));
    await().atMost(Duration.ofSeconds(10)).until(() -> "SERVING".equals(state("orders", second.port()).lastCheck()));
    assertThat(serving("orders")).isEqualTo(2);

    second.health().setStatus(SERVICE, ServingStatus.NOT_SERVING);
    await().atMost(Duration.ofSeconds(10)).until(() -> !state("orders", second.port()).checkedHealthy());
    assertThat(state("orders", second.port()).lastCheck()).isEqualTo("NOT_SERVING");
    assertThat(state("orders", first.port()).checkedHealthy()).isTrue();
    assertThat(serving("orders")).isEqualTo(1);
    assertThat(gateway.upstream("orders").current().pick(0, null).port()).isEqualTo(first.port());

    second.health().setStatus(SERVICE, ServingStatus.SERVING);
    await().atMost(Duration.ofSeconds(10)).until(() -> state("orders", second.port()).checkedHealthy());
    assertThat(serving("orders")).isEqualTo(2);
  }

  @Test
  void withoutAServiceTheServersOverallHealthIsAsked() {
    startGateway("""
        - name: orders
          endpoints: [127.0.0.1:%d]
          health-check: { type: grpc, interval: 100ms, timeout: 1s, healthy: 1, unhealthy: 1 }
        """.formatted(first.port()));
    await().atMost(Duration.ofSeconds(10)).until(() -> "SERVING".equals(state("orders", first.port()).lastCheck()));

    first.health().enterTerminalState(); // every service, the overall one included, NOT_SERVING
    await().atMost(Duration.ofSeconds(10)).until(() -> !state("orders", first.port()).checkedHealthy());
    assertThat(state("orders", first.port()).lastCheck()).isEqualTo("NOT_SERVING");
    assertThat(serving("orders")).isZero();
  }

  @Test
  void anUnknownServiceAndAnUnreachableEndpointFail() {
    int closed = Http.closedPort();
    startGateway("""
        - name: orders
          endpoints: [127.0.0.1:%d, 127.0.0.1:%d]
          health-check: { type: grpc, service: nobody.Knows, interval: 100ms, timeout: 1s, healthy: 1, unhealthy: 1 }
        """.formatted(first.port(), closed));

    await().atMost(Duration.ofSeconds(10)).until(() -> !state("orders", first.port()).checkedHealthy()
        && !state("orders", closed).checkedHealthy());
    // the health service answers NOT_FOUND (grpc-status 5) for a service it does not know
    assertThat(state("orders", first.port()).lastCheck()).startsWith("grpc-status 5");
    assertThat(state("orders", closed).lastCheck()).isNotBlank().doesNotContain("SERVING");
    assertThat(serving("orders")).isZero();
  }
}
