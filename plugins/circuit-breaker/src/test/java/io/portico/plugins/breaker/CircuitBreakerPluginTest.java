package io.portico.plugins.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CircuitBreakerPluginTest {
  private final ExecutorService clients = Executors.newFixedThreadPool(50);
  private TestBackend backend;
  private TestGateway gateway;

  @AfterEach
  void stop() throws Exception {
    clients.shutdownNow();
    clients.awaitTermination(10, TimeUnit.SECONDS);
    if (gateway != null) {
      gateway.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private void start(String breakerConfig) {
    if (backend == null) {
      backend = TestBackend.start();
    }
    gateway = TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: orders
            match: { path-prefix: /orders }
            upstream: b
            plugins:
              circuit-breaker: %s
        """.formatted(backend.address(), breakerConfig));
  }

  private List<TestResponse> concurrently(int n) throws Exception {
    List<Future<TestResponse>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(clients.submit(() -> gateway.get("/orders/x")));
    }
    List<TestResponse> answers = new ArrayList<>();
    for (Future<TestResponse> f : sent) {
      answers.add(f.get(30, TimeUnit.SECONDS));
    }
    return answers;
  }

  @Test
  void opensAfterTheThresholdAndAnswersWithoutTheBackend() {
    start("{ failures: 3, reset: 30s }");
    backend.respondWith(500);
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.get("/orders/x").status()).isEqualTo(500);
    }
    assertThat(backend.requestCount()).isEqualTo(3);

    for (int i = 0; i < 10; i++) {
      TestResponse open = gateway.get("/orders/x");
      assertThat(open.status()).isEqualTo(503);
      assertThat(open.json().getString("error")).isEqualTo("circuit_open");
      assertThat(Integer.parseInt(open.header("Retry-After"))).isBetween(1, 30);
    }
    assertThat(backend.requestCount()).isEqualTo(3);
    assertThat(gateway.admin("/admin/routes").bodyAsString()).contains("\"state\" : \"open\"");
  }

  @Test
  void servesTheConfiguredFallbackWhileOpen() {
    start("{ failures: 2, reset: 30s, fallback: { status: 200, headers: { X-Degraded: 'true' }, body: '{\"orders\":[]}' } }");
    backend.respondWith(503);
    gateway.get("/orders/x");
    gateway.get("/orders/x");
    TestResponse degraded = gateway.get("/orders/x");
    assertThat(degraded.status()).isEqualTo(200);
    assertThat(degraded.header("X-Degraded")).isEqualTo("true");
    assertThat(degraded.bodyAsString()).isEqualTo("{\"orders\":[]}");
    assertThat(backend.requestCount()).isEqualTo(2);
  }

  @Test
  void halfOpenLetsOnlyTheConfiguredTrialsThroughUnderConcurrency() throws Exception {
    start("{ failures: 2, reset: 1s, half-open-requests: 3 }");
    backend.respondWith(500);
    gateway.get("/orders/x");
    gateway.get("/orders/x");
    assertThat(gateway.get("/orders/x").status()).isEqualTo(503);
    int beforeTrials = backend.requestCount();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        gateway.admin("/admin/routes").bodyAsString().contains("\"state\" : \"half_open\""));
    List<TestResponse> answers = concurrently(50);
    int trials = backend.requestCount() - beforeTrials;
    assertThat(trials).isBetween(1, 3);
    assertThat(answers.stream().filter(a -> a.status() == 503).count()).isGreaterThanOrEqualTo(47);
  }

  @Test
  void aSuccessfulTrialClosesTheCircuit() {
    start("{ failures: 2, reset: 1s }");
    backend.respondWith(500);
    gateway.get("/orders/x");
    gateway.get("/orders/x");
    assertThat(gateway.get("/orders/x").status()).isEqualTo(503);
    backend.respondWith(0); // healthy again
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
        .until(() -> gateway.get("/orders/x").status() == 200);
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.get("/orders/x").status()).isEqualTo(200);
    }
    assertThat(gateway.admin("/admin/routes").bodyAsString()).contains("\"state\" : \"closed\"");
  }

  @Test
  void failureRateNeedsTheMinimumVolume() {
    start("{ failure-rate: 50, minimum-requests: 6, window: 10s, reset: 30s }");
    backend.respondWith(500);
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.get("/orders/x").status()).isEqualTo(500); // below the minimum volume
    }
    assertThat(gateway.get("/orders/x").status()).isEqualTo(500); // sixth call: 100% of 6
    assertThat(gateway.get("/orders/x").status()).isEqualTo(503);
    assertThat(backend.requestCount()).isEqualTo(6);
  }

  @Test
  void bulkheadRejectsTheExcessAtOnce() throws Exception {
    Vertx timers = Vertx.vertx();
    try {
      backend = TestBackend.start(request -> timers.setTimer(1500, id -> request.response().end("slow")));
      start("{ bulkhead: { max-concurrent: 5 } }");
      long started = System.nanoTime();
      List<TestResponse> answers = concurrently(20);
      long rejected = answers.stream().filter(a -> a.status() == 503).count();
      assertThat(answers.stream().filter(a -> a.status() == 200).count()).isEqualTo(20 - rejected);
      assertThat(rejected).isGreaterThanOrEqualTo(15);
      assertThat(answers.stream().filter(a -> a.status() == 503))
          .allSatisfy(a -> assertThat(a.json().getString("error")).isEqualTo("bulkhead_full"));
      assertThat(backend.requestCount()).isLessThanOrEqualTo(5);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    } finally {
      timers.close();
    }
  }

  @Test
  void clientsThatLeaveDoNotCountAsUpstreamFailures() throws Exception {
    backend = TestBackend.start(request -> {
      if (!request.path().contains("hang")) {
        request.response().end("ok");
      } // else never answers: the client gives up first
    });
    start("{ failures: 2, reset: 30s }");
    for (int i = 1; i <= 3; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
        socket.getOutputStream().write("GET /orders/hang HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        int seen = i;
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> backend.requestCount() == seen);
      } // the client leaves while the upstream has not answered
    }
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> gateway.server().gateway().inFlight() == 0);

    assertThat(gateway.get("/orders/ok").status()).isEqualTo(200);
    assertThat(backend.requestCount()).isEqualTo(4);
    assertThat(gateway.admin("/admin/routes").bodyAsString()).contains("\"state\" : \"closed\"");
  }
}
