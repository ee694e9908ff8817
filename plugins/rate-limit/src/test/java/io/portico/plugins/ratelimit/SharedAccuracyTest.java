package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two replicas, each with its own Vert.x and plugin factory, share one limit through a real redis-server. */
class SharedAccuracyTest {
  private RedisProcess redis;
  private Replica a;
  private Replica b;

  @BeforeEach
  void start() throws Exception {
    redis = new RedisProcess();
    RateLimitConfig config = Configs.limit(100, Duration.ofSeconds(1)).redis(redis.uri(), Duration.ofMillis(500)).build();
    a = new Replica(config, 2);
    b = new Replica(config, 2);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    redis.close();
  }

  @Test
  void twoReplicasAdmitOneLimitTogether() throws Exception {
    a.awaitShared();
    b.awaitShared();
    a.load.drain();

    int admitted = together(a, b, Duration.ofSeconds(10));

    System.out.printf("shared: 2 replicas x 250/s for 10 s, limit 100/s: admitted %d of 1000 (%+.1f%%)%n",
        admitted, (admitted - 1000) / 10.0);
    assertThat(admitted).isBetween(970, 1030);
    assertThat(a.degraded() || b.degraded()).isFalse();
    assertThat(a.context.count("portico.ratelimit.allowed")).isPositive();
    assertThat(b.context.count("portico.ratelimit.allowed")).isPositive();
  }

  /** Both replicas offer 250/s for {@code duration} at the same time; the total admitted. */
  static int together(Replica a, Replica b, Duration duration) throws Exception {
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> offer(a, duration));
    CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> offer(b, duration));
    long bound = duration.toSeconds() * 3 + 20;
    return first.get(bound, TimeUnit.SECONDS) + second.get(bound, TimeUnit.SECONDS);
  }

  private static int offer(Replica replica, Duration duration) {
    try {
      return replica.load.offer(250, duration);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
