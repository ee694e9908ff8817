package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RateLimitGatewayTest {
  static TestBackend backend;
  static TestGateway gateway;

  @BeforeAll
  static void start() {
    backend = TestBackend.start();
    gateway = TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: limited
            match: { path-prefix: /limited }
            upstream: b
            plugins:
              rate-limit: { key: "header:X-Tenant", limits: [{ capacity: 3, per: 1m }] }
          - name: shadow
            match: { path-prefix: /shadow }
            upstream: b
            plugins:
              rate-limit: { limits: [{ capacity: 2, per: 1m }], mode: shadow }
        """.formatted(backend.address()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    backend.close();
  }

  @Test
  void rejectsBeyondTheLimitWithHeadersAndNeverReachesTheBackend() {
    int before = backend.requestCount();
    for (int i = 0; i < 3; i++) {
      TestResponse allowed = gateway.get("/limited/x", "X-Tenant", "acme");
      assertThat(allowed.status()).isEqualTo(200);
      assertThat(allowed.header("RateLimit-Limit")).isEqualTo("3");
      assertThat(allowed.header("RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
      assertThat(Long.parseLong(allowed.header("RateLimit-Reset"))).isBetween(1L, 60L);
    }
    TestResponse rejected = gateway.get("/limited/x", "X-Tenant", "acme");
    assertThat(rejected.status()).isEqualTo(429);
    assertThat(rejected.json().getString("error")).isEqualTo("rate_limited");
    assertThat(rejected.json().getString("request_id")).isNotBlank();
    assertThat(Long.parseLong(rejected.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(rejected.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(backend.requestCount() - before).isEqualTo(3);

    assertThat(gateway.get("/limited/x", "X-Tenant", "other").status()).isEqualTo(200); // its own bucket
  }

  @Test
  void shadowModeCountsButNeverRejects() {
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.get("/shadow/x").status()).isEqualTo(200);
    }
    String metrics = gateway.admin("/metrics").bodyAsString();
    assertThat(metrics).contains("portico_ratelimit_shadow_rejected_total{route=\"shadow\"} 3.0");
    assertThat(metrics).contains("portico_ratelimit_allowed_total{route=\"shadow\"} 2.0");
  }
}
