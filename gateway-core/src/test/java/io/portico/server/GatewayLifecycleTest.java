package io.portico.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.portico.testing.plugins.TraceLog;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, readiness and the meter registry handed to plugins. */
class GatewayLifecycleTest {
  @TempDir
  Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    TraceLog.clear();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  @Test
  void readyWaitsForEveryPluginToWarmUp() {
    RecordingBackend backend = RecordingBackend.start(vertx);
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app, plugins: { trace-authn: { warm-up-millis: 400 } } }
        """.formatted(backend.address()))));

    assertThat(gateway.port()).isPositive();
    assertThat(gateway.ready().isComplete()).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.ready().succeeded());
    assertThat(TraceLog.events()).contains("lifecycle trace-authn.warm app");
    assertThat(gateway.meterRegistry()).isInstanceOf(io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class);
    assertThat(gateway.snapshot().source()).startsWith("file:");
    Await.result(gateway.shutdown(Duration.ofSeconds(1)));
  }

  @Test
  void twoGatewaysOnFreePortsGetDifferentPorts() {
    RecordingBackend backend = RecordingBackend.start(vertx);
    String yaml = """
        listen: { host: 127.0.0.1, port: 0, instances: 2 }
        upstreams:
          - { name: app, endpoints: [%s] }
        routes:
          - { name: app, upstream: app }
        """.formatted(backend.address());
    Gateway one = Await.result(Gateway.start(vertx, Configs.load(dir, yaml)));
    Gateway two = Await.result(Gateway.start(vertx, Configs.load(dir, yaml)));

    assertThat(one.port()).isNotEqualTo(two.port());
    Await.result(one.shutdown(Duration.ofSeconds(1)));
    Await.result(two.shutdown(Duration.ofSeconds(1)));
  }
}
