package io.portico.plugins.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.spi.Endpoint;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The EndpointSlice source against fabric8's mock API server in CRUD mode. */
class KubernetesDiscoveryTest {
  MockApiServer api;
  Vertx vertx;
  KubernetesDiscoveryFactory factory;
  final AtomicReference<EndpointSnapshot> latest = new AtomicReference<>();
  final List<EndpointSnapshot> published = new CopyOnWriteArrayList<>();
  EndpointSource source;

  @BeforeEach
  void start() {
    api = new MockApiServer();
    vertx = Vertx.vertx();
    factory = new KubernetesDiscoveryFactory();
    source = factory.create(new KubernetesSettings("shop", api.url(), null, true), new KubernetesUpstream("users", "http", null),
        new TestPluginContext(vertx).routeName("upstream:users"));
    source.start(snapshot -> {
      latest.set(snapshot);
      published.add(snapshot);
    });
  }

  @AfterEach
  void stop() {
    source.close();
    api.close();
    vertx.close();
  }

  private List<String> ready() {
    EndpointSnapshot s = latest.get();
    return s == null ? List.of() : s.endpoints().stream().filter(Endpoint::ready).map(Endpoint::address).sorted().toList();
  }

  private List<String> all() {
    EndpointSnapshot s = latest.get();
    return s == null ? List.of() : s.endpoints().stream().map(Endpoint::address).sorted().toList();
  }

  @Test
  void followsCreatesReadinessFlipsAndDeletesInItsNamespaceOnly() {
    api.apply(MockApiServer.slice("shop", "users-a", "users", 8080, true, "10.0.0.1", "10.0.0.2"));
    api.apply(MockApiServer.slice("shop", "orders-a", "orders", 8080, true, "10.0.9.9"));
    api.apply(MockApiServer.slice("other", "users-x", "users", 8080, true, "10.7.7.7"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ready().equals(List.of("10.0.0.1:8080", "10.0.0.2:8080")));
    assertThat(latest.get().version()).isNotNull();
    assertThat(latest.get().endpoints()).allSatisfy(e -> assertThat(e.zone()).isEqualTo("zone-a"));

    api.apply(MockApiServer.slice("shop", "users-b", "users", 9090, false, "10.0.1.1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> all().contains("10.0.1.1:9090"));
    assertThat(ready()).doesNotContain("10.0.1.1:9090"); // listed, not ready: no new requests

    api.apply(MockApiServer.slice("shop", "users-b", "users", 9090, true, "10.0.1.1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ready().contains("10.0.1.1:9090"));

    api.delete("shop", "users-a");
    await().atMost(Duration.ofSeconds(10)).until(() -> ready().equals(List.of("10.0.1.1:9090")));
    assertThat(published).noneSatisfy(s -> assertThat(Arrays.asList(s.endpoints().stream().map(Endpoint::address).toArray()))
        .contains("10.7.7.7:8080"));
  }

  @Test
  void theLastEndpointsStayWhileTheApiServerIsAwayAndUpdatesFlowAfterItReturns() throws Exception {
    api.apply(MockApiServer.slice("shop", "users-a", "users", 8080, true, "10.0.0.1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> ready().equals(List.of("10.0.0.1:8080")));
    int before = published.size();

    api.stop();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> ready().equals(List.of("10.0.0.1:8080")));
    assertThat(published.size()).isEqualTo(before); // nothing, in particular no empty set, while it is away

    api.restart();
    api.apply(MockApiServer.slice("shop", "users-c", "users", 8080, true, "10.0.3.3"));
    await().atMost(Duration.ofSeconds(30)).until(() -> ready().contains("10.0.3.3:8080"));
  }

  @Test
  void measuresTheTimeFromASliceUpdateToThePublishedSnapshot() {
    api.apply(MockApiServer.slice("shop", "users-a", "users", 8080, true, "10.0.0.1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !ready().isEmpty());
    long[] micros = new long[100];
    for (int i = 0; i < micros.length; i++) {
      String address = "10.1." + (i / 200) + "." + (i % 200 + 1);
      long start = System.nanoTime();
      api.apply(MockApiServer.slice("shop", "users-a", "users", 8080, true, address));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> ready().contains(address + ":8080"));
      micros[i] = (System.nanoTime() - start) / 1000;
    }
    Arrays.sort(micros);
    System.out.printf("EndpointSlice update -> published snapshot over %d updates: p50 %.1f ms, p99 %.1f ms%n",
        micros.length, micros[micros.length / 2] / 1000.0, micros[(int) (micros.length * 0.99) - 1] / 1000.0);
    assertThat(micros[micros.length / 2]).isLessThan(2_000_000); // generous: the target is p99 under 100 ms
  }
}
