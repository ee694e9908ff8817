package io.portico.plugins.observability;

import static io.portico.plugins.observability.ObservabilityTest.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import org.junit.jupiter.api.Test;

/** The per-plugin timers follow a chain that a reload changed around a kept metrics plugin. */
class PluginDurationReloadTest {
  static final String CONFIG = """
      upstreams:
        - { name: good, endpoints: [%s] }
      routes:
        - name: r
          match: { path-prefix: / }
          upstream: good
          plugins: { %s }
      plugins:
        metrics: {}
      """;

  @Test
  void aReloadThatAddsAPluginGivesItSeriesOfItsOwn() {
    try (TestBackend backend = TestBackend.start();
         TestGateway gateway = TestGateway.start(CONFIG.formatted(backend.address(), "test-gate: {}"))) {
      for (int i = 0; i < 2; i++) {
        assertThat(gateway.get("/x").status()).isEqualTo(200);
      }
      // the metrics plugin's config is unchanged, so it keeps its instance across the reload
      gateway.reload(CONFIG.formatted(backend.address(), "test-gate: {}, test-wait: { millis: 1 }"));
      for (int i = 0; i < 3; i++) {
        assertThat(gateway.get("/x").status()).isEqualTo(200);
      }

      String metrics = gateway.admin("/metrics").bodyAsString();
      assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"metrics\",route=\"r\"}")).isEqualTo(5.0);
      assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"test-gate\",route=\"r\"}")).isEqualTo(5.0);
      assertThat(sample(metrics, "portico_plugin_duration_seconds_count{plugin=\"test-wait\",route=\"r\"}")).isEqualTo(3.0);
    }
  }
}
