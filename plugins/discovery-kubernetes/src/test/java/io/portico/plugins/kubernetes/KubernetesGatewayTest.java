package io.portico.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Traffic through a real gateway goes only to the ready endpoints of the Service's slices. */
class KubernetesGatewayTest {

  @Test
  void trafficFollowsReadyEndpoints() {
    try (MockApiServer api = new MockApiServer(); TestBackend pod1 = TestBackend.start(); TestBackend pod2 = TestBackend.start();
        TestGateway gateway = TestGateway.start("""
            discovery:
              kubernetes: { master-url: %s, namespace: shop, trust-certs: true }
            upstreams:
              - { name: users, discovery: { type: kubernetes, service: users, port: http } }
            routes:
              - { name: users, match: { path-prefix: /users }, upstream: users }
            """.formatted(api.url()))) {
      assertThat(gateway.get("/users/1").status()).isEqualTo(503); // no endpoints yet

      api.apply(MockApiServer.slice("shop", "users-1", "users", pod1.port(), true, "127.0.0.1"));
      api.apply(MockApiServer.slice("shop", "users-2", "users", pod2.port(), false, "127.0.0.1"));
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/users/1").status() == 200);
      int before2 = pod2.requestCount();
      for (int i = 0; i < 10; i++) {
        assertThat(gateway.get("/users/" + i).status()).isEqualTo(200);
      }
      assertThat(pod2.requestCount()).isEqualTo(before2); // not ready: nothing

      api.apply(MockApiServer.slice("shop", "users-2", "users", pod2.port(), true, "127.0.0.1"));
      api.apply(MockApiServer.slice("shop", "users-1", "users", pod1.port(), false, "127.0.0.1"));
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.get("/users/x").status() == 200 && pod2.requestCount() > before2);
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.admin("/admin/upstreams").bodyAsString().contains("\"ready\" : false"));
      int before1 = pod1.requestCount();
      for (int i = 0; i < 10; i++) {
        assertThat(gateway.get("/users/" + i).status()).isEqualTo(200);
      }
      assertThat(pod1.requestCount()).isEqualTo(before1);

      // time from a slice update to the first request served by the new endpoint
      long[] micros = new long[20];
      for (int i = 0; i < micros.length; i++) {
        TestBackend from = i % 2 == 0 ? pod2 : pod1;
        TestBackend to = i % 2 == 0 ? pod1 : pod2;
        int count = to.requestCount();
        long start = System.nanoTime();
        api.apply(MockApiServer.slice("shop", to == pod1 ? "users-1" : "users-2", "users", to.port(), true, "127.0.0.1"));
        api.apply(MockApiServer.slice("shop", from == pod1 ? "users-1" : "users-2", "users", from.port(), false, "127.0.0.1"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
          gateway.get("/users/t");
          return to.requestCount() > count;
        });
        micros[i] = (System.nanoTime() - start) / 1000;
      }
      Arrays.sort(micros);
      System.out.printf("EndpointSlice update -> first request on the new endpoint over %d flips: p50 %.1f ms, max %.1f ms%n",
          micros.length, micros[micros.length / 2] / 1000.0, micros[micros.length - 1] / 1000.0);
    }
  }
}
