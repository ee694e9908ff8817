package io.portico.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the guide shows of the kit, exercised: requests of any method, reload, the faulty backends. */
class TestKitTest {
  static String config(String endpoint, String timeout) {
    return """
        upstreams: [{ name: b, endpoints: [%s] }]
        routes: [{ name: r, match: { path-prefix: / }, upstream: b, timeout: %s }]
        """.formatted(endpoint, timeout);
  }

  @Test
  void anyMethodWithHeadersAndABodyReachesTheBackend() {
    try (TestBackend backend = TestBackend.start();
         TestGateway gateway = TestGateway.start(config(backend.address(), "5s"))) {
      assertThat(gateway.post("/orders", "{\"id\":1}", "Content-Type", "application/json").status()).isEqualTo(200);
      TestResponse put = gateway.request(HttpMethod.PUT, "/orders/1").header("X-Trace", "t1").body("v2").send();
      assertThat(put.status()).isEqualTo(200);

      assertThat(backend.requestCount()).isEqualTo(2);
      assertThat(backend.requests().get(0).method()).isEqualTo(HttpMethod.POST);
      assertThat(backend.requests().get(0).body().toString()).isEqualTo("{\"id\":1}");
      assertThat(backend.requests().get(1).header("X-Trace")).isEqualTo("t1");
    }
  }

  @Test
  void reloadAppliesANewConfigAndRefusesABadOne() {
    try (TestBackend backend = TestBackend.start();
         TestGateway gateway = TestGateway.start(config(backend.address(), "5s"))) {
      gateway.reload(config(backend.address(), "5s").replace("path-prefix: /", "path-prefix: /v2"));
      assertThat(gateway.get("/v1").status()).isEqualTo(404);
      assertThat(gateway.get("/v2").status()).isEqualTo(200);
      assertThatThrownBy(() -> gateway.reload("routes: [{ name: r, upstream: missing }]")).isNotNull();
    }
  }

  @Test
  void aResetMidAnswerCutsTheAnswer() {
    try (FaultyBackend backend = FaultyBackend.resetMidAnswer();
         TestGateway gateway = TestGateway.start(config(backend.address(), "5s"))) {
      // the head went out already: the client sees the answer cut short, never a complete one
      assertThatThrownBy(() -> gateway.get("/")).isNotNull();
      assertThat(backend.connections()).isPositive();
    }
  }

  @Test
  void aSlowHeadTimesOut() {
    try (FaultyBackend backend = FaultyBackend.slowHead(Duration.ofSeconds(5));
         TestGateway gateway = TestGateway.start(config(backend.address(), "300ms"))) {
      assertThat(gateway.get("/").status()).isEqualTo(504);
    }
  }

  @Test
  void aTrickledBodyArrivesWhole() {
    try (FaultyBackend backend = FaultyBackend.trickledBody(20, Duration.ofMillis(10));
         TestGateway gateway = TestGateway.start(config(backend.address(), "5s"))) {
      TestResponse answer = gateway.get("/");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.bodyAsString()).isEqualTo("x".repeat(20));
    }
  }

  @Test
  void aBackendThatNeverReadsTimesOut() {
    try (FaultyBackend backend = FaultyBackend.neverReads();
         TestGateway gateway = TestGateway.start(config(backend.address(), "300ms"))) {
      assertThat(gateway.post("/", "x".repeat(1024)).status()).isEqualTo(504);
    }
  }
}
