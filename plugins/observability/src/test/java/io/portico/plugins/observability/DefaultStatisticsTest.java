package io.portico.plugins.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Statistics are on without a {@code metrics} block; {@code metrics: false} turns them off. */
class DefaultStatisticsTest {

  @Test
  void everyRouteIsMeasuredUnlessItSaysMetricsFalse() {
    try (TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            upstreams: [{ name: shop, endpoints: [%s] }]
            routes:
              - { name: orders, match: { path-prefix: /orders }, upstream: shop }
              - { name: quiet, match: { path-prefix: /quiet }, upstream: shop, plugins: { metrics: false } }
            """.formatted(backend.address()))) {
      for (int i = 0; i < 7; i++) {
        assertThat(gateway.get("/orders/" + i).status()).isEqualTo(200);
        assertThat(gateway.get("/quiet/" + i).status()).isEqualTo(200);
      }
      JsonArray routes = gateway.admin("/admin/stats").json().getJsonArray("routes");
      assertThat(routes).hasSize(1);
      assertThat(routes.getJsonObject(0).getString("route")).isEqualTo("orders");
      assertThat(routes.getJsonObject(0).getLong("requests_total")).isEqualTo(7);
      assertThat(gateway.admin("/metrics").bodyAsString())
          .contains("portico_requests_total{")
          .contains("route=\"orders\"")
          .doesNotContain("route=\"quiet\"");
    }
  }

  @Test
  void aGlobalMetricsFalseTurnsThemOffEverywhere() {
    try (TestBackend backend = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            upstreams: [{ name: shop, endpoints: [%s] }]
            routes:
              - { name: orders, match: { path-prefix: /orders }, upstream: shop }
            plugins: { metrics: false }
            """.formatted(backend.address()))) {
      assertThat(gateway.get("/orders/1").status()).isEqualTo(200);
      JsonObject stats = gateway.admin("/admin/stats").json();
      assertThat(stats.getJsonArray("routes")).isEmpty();
    }
  }
}
