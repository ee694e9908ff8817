package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis dies under two replicas and comes back. Replica A knows there are two replicas (from the
 * gateway); replica B does not and uses {@code local-share: 0.5}: together they keep the limit.
 */
class StoreFailoverTest {
  private RedisProcess redis;
  private Replica a;
  private Replica b;

  @BeforeEach
  void start() throws Exception {
    redis = new RedisProcess();
    Configs config = Configs.limit(100, Duration.ofSeconds(1)).redis(redis.uri(), Duration.ofMillis(250))
        .onStoreFailure(RateLimitConfig.OnStoreFailure.LOCAL);
    a = new Replica(config.build(), 2);
    b = new Replica(config.localShare(0.5).build(), 1);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    redis.close();
  }

  @Test
  void eachReplicaKeepsItsShareWhileRedisIsDownAndSharesAgainWhenItIsBack() throws Exception {
    a.awaitShared();
    b.awaitShared();

    redis.kill();
    SharedAccuracyTest.together(a, b, Duration.ofSeconds(1)); // both notice, and spend their fresh local burst
    assertThat(a.degraded() && b.degraded()).isTrue();
    int local = SharedAccuracyTest.together(a, b, Duration.ofSeconds(5));
    System.out.printf("redis down, on-store-failure local: 2 replicas x 250/s for 5 s, limit 100/s: admitted %d of 500 (%+.1f%%)%n",
        local, (local - 500) / 5.0);
    assertThat(local).isBetween(450, 550);
    assertThat(a.context.count("portico.ratelimit.store.failures")).isPositive();

    redis.start();
    a.awaitShared();
    b.awaitShared();
    a.load.drain(); // the restarted Redis holds fresh, full buckets
    int shared = SharedAccuracyTest.together(a, b, Duration.ofSeconds(5));
    System.out.printf("redis back: 2 replicas x 250/s for 5 s, limit 100/s: admitted %d of 500 (%+.1f%%)%n",
        shared, (shared - 500) / 5.0);
    assertThat(shared).isBetween(485, 515);
    assertThat(a.degraded() || b.degraded()).isFalse();
  }
}
