package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portico.testkit.TestBackend;
import io.portico.testkit.TestGateway;
import io.portico.testkit.TestResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plugin in a real gateway, configured from YAML, in front of a real backend. */
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
          - name: paced
            match: { path-prefix: /paced }
            upstream: b
            plugins:
              rate-limit: { limits: [{ capacity: 20, per: 1s }] }
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
  void rejectsBeyondTheLimitWithJsonAndHeadersAndTheBackendSeesOnlyWhatWasAdmitted() {
    int before = backend.requestCount();
    for (int i = 0; i < 3; i++) {
      TestResponse allowed = gateway.get("/limited/x", "X-Tenant", "acme");
      assertThat(allowed.status()).isEqualTo(200);
      assertThat(allowed.header("RateLimit-Limit")).isEqualTo("3");
      assertThat(allowed.header("RateLimit-Remaining")).isEqualTo(String.valueOf(2 - i));
      assertThat(Long.parseLong(allowed.header("RateLimit-Reset"))).isBetween(20L * (i + 1) - 1, 20L * (i + 1));
    }
    TestResponse rejected = gateway.get("/limited/x", "X-Tenant", "acme");

    assertThat(rejected.status()).isEqualTo(429);
    assertThat(rejected.header("content-type")).contains("application/json");
    assertThat(rejected.json().getString("error")).isEqualTo("rate_limited");
    assertThat(rejected.json().getString("request_id")).isNotBlank();
    assertThat(rejected.header("Retry-After")).isEqualTo("20");
    assertThat(rejected.header("RateLimit-Limit")).isEqualTo("3");
    assertThat(rejected.header("RateLimit-Remaining")).isEqualTo("0");
    assertThat(rejected.header("RateLimit-Reset")).isEqualTo("60");
    assertThat(backend.requestCount() - before).isEqualTo(3);

    assertThat(gateway.get("/limited/x", "X-Tenant", "globex").status()).isEqualTo(200); // a bucket of its own
  }

  @Test
  void admitsTheRateOverTimeAndTheBackendCountMatches() {
    while (gateway.get("/paced").status() == 200) {
      // spend the burst: the measurement is of the rate
    }
    long drained = System.nanoTime();
    int before = backend.requestCount();

    Offered offered = offer(gateway, "/paced", 50, Duration.ofSeconds(3));

    // the test client may fall behind its pace on a busy machine: the limit is per elapsed time
    double expected = 20 * (offered.lastSentNanos() - drained) / 1e9;
    System.out.printf("through the gateway: 50/s offered for %.2f s, limit 20/s: admitted %d of %.1f (%+.1f%%)%n",
        (offered.lastSentNanos() - drained) / 1e9, offered.admitted(), expected, (offered.admitted() - expected) * 100 / expected);
    assertThat((double) offered.admitted()).isBetween(expected * 0.95 - 1, expected * 1.05 + 1);
    assertThat(backend.requestCount() - before).isEqualTo(offered.admitted());
  }

  @Test
  void shadowModeCountsButNeverRejects() {
    for (int i = 0; i < 5; i++) {
      TestResponse response = gateway.get("/shadow/x");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.header("RateLimit-Remaining")).isNull();
    }
    String metrics = gateway.admin("/metrics").bodyAsString();
    assertThat(metrics).contains("portico_ratelimit_shadow_rejected_total{route=\"shadow\"} 3.0");
    assertThat(metrics).contains("portico_ratelimit_allowed_total{route=\"shadow\"} 2.0");
  }

  @Test
  void twoGatewaysOnOneRedisShareTheLimit() throws Exception {
    try (RedisProcess redis = new RedisProcess()) {
      String yaml = """
          upstreams: [{ name: b, endpoints: [%s] }]
          routes:
            - name: shared
              match: { path-prefix: / }
              upstream: b
              plugins:
                rate-limit: { limits: [{ capacity: 20, per: 1s }], store: redis, redis: { uri: "%s", timeout: 500ms } }
          """.formatted(backend.address(), redis.uri());
      TestGateway one = TestGateway.start(yaml);
      TestGateway two = TestGateway.start(yaml);
      try {
        while (one.get("/").status() == 200) {
          // spend the shared burst
        }
        long drained = System.nanoTime();
        int before = backend.requestCount();
        CompletableFuture<Offered> a = CompletableFuture.supplyAsync(() -> offer(one, "/", 50, Duration.ofSeconds(3)));
        CompletableFuture<Offered> b = CompletableFuture.supplyAsync(() -> offer(two, "/", 50, Duration.ofSeconds(3)));
        Offered first = a.get(60, TimeUnit.SECONDS);
        Offered second = b.get(60, TimeUnit.SECONDS);
        int admitted = first.admitted() + second.admitted();

        double expected = 20 * (Math.max(first.lastSentNanos(), second.lastSentNanos()) - drained) / 1e9;
        System.out.printf("two gateways, one redis: 2 x 50/s, limit 20/s: admitted %d of %.1f (%+.1f%%)%n",
            admitted, expected, (admitted - expected) * 100 / expected);
        assertThat((double) admitted).isBetween(expected * 0.95 - 1, expected * 1.05 + 1);
        assertThat(backend.requestCount() - before).isEqualTo(admitted);
      } finally {
        one.close();
        two.close();
      }
    }
  }

  @Test
  void aBadConfigIsRefusedWithEveryProblemNamed() {
    assertThatThrownBy(() -> TestGateway.start("""
        upstreams: [{ name: b, endpoints: [%s] }]
        routes:
          - name: bad
            match: { path-prefix: / }
            upstream: b
            plugins:
              rate-limit: { key: "cookie:session", limits: [], store: redis, local-share: 2 }
        """.formatted(backend.address())))
        .hasMessageContaining("key").hasMessageContaining("cookie:session")
        .hasMessageContaining("limits").hasMessageContaining("redis.uri").hasMessageContaining("local-share");
  }

  private record Offered(int admitted, long lastSentNanos) {}

  /** Paced GETs from one thread: how many got a 200, and when the last was sent. */
  private static Offered offer(TestGateway target, String path, int perSecond, Duration duration) {
    long interval = 1_000_000_000L / perSecond;
    long count = duration.toNanos() / interval;
    long start = System.nanoTime();
    long lastSent = start;
    int admitted = 0;
    for (long i = 0; i < count; i++) {
      LockSupport.parkNanos(start + i * interval - System.nanoTime());
      lastSent = System.nanoTime();
      if (target.get(path).status() == 200) {
        admitted++;
      }
    }
    return new Offered(admitted, lastSent);
  }
}
