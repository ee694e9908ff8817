package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.spi.Decision;
import io.portico.spi.Plugin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas (each with its own Vert.x and plugin factory) share one limit through a
 * real redis-server; Redis is killed and restarted in the middle.
 */
class SharedRateLimitTest {
  private RedisProcess redis;
  private Vertx vertxA;
  private Vertx vertxB;
  private final ExecutorService load = Executors.newFixedThreadPool(2);

  @BeforeEach
  void start() throws Exception {
    redis = new RedisProcess();
    vertxA = Vertx.vertx();
    vertxB = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    load.shutdownNow();
    vertxA.close().toCompletionStage().toCompletableFuture().join();
    vertxB.close().toCompletionStage().toCompletableFuture().join();
    redis.close();
  }

  private Plugin replica(Vertx vertx) {
    RateLimitConfig config = new RateLimitConfig("route", List.of(new RateLimitConfig.Limit(100L, Duration.ofSeconds(1), null)),
        null, null, null, RateLimitConfig.Store.REDIS, new RateLimitConfig.Redis(redis.uri(), null, Duration.ofMillis(500)),
        RateLimitConfig.OnStoreFailure.LOCAL, 0.5, null);
    return new RateLimitPluginFactory().create(config, new TestPluginContext(vertx));
  }

  private int together(Supplier<Future<Decision>> a, Supplier<Future<Decision>> b, Duration duration) throws Exception {
    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> offer(a, duration), load);
    CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> offer(b, duration), load);
    return first.get(60, TimeUnit.SECONDS) + second.get(60, TimeUnit.SECONDS);
  }

  private static int offer(Supplier<Future<Decision>> request, Duration duration) {
    try {
      return Load.offer(250, duration, request);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoReplicasShareOneLimitAndFollowOnStoreFailure() throws Exception {
    Plugin a = replica(vertxA);
    Plugin b = replica(vertxB);
    Context contextA = vertxA.getOrCreateContext();
    Context contextB = vertxB.getOrCreateContext();
    Supplier<Future<Decision>> requestA = () -> a.onRequest(new TestExchange(contextA));
    Supplier<Future<Decision>> requestB = () -> b.onRequest(new TestExchange(contextB));
    await().atMost(Duration.ofSeconds(20)).until(() -> Boolean.FALSE.equals(a.status().get("store_degraded"))
        && Boolean.FALSE.equals(b.status().get("store_degraded")));

    Load.drain(requestA);
    int shared = together(requestA, requestB, Duration.ofSeconds(10));
    System.out.printf("shared: 2 replicas x 250/s for 10 s, limit 100/s: admitted %d (%+.1f%%)%n", shared, (shared - 1000) / 10.0);
    assertThat(shared).isBetween(970, 1030);

    redis.kill();
    together(requestA, requestB, Duration.ofSeconds(1)); // both notice the failure
    int local = together(requestA, requestB, Duration.ofSeconds(5));
    System.out.printf("redis down, on-store-failure local, share 0.5: admitted %d of 500 (%+.1f%%)%n", local, (local - 500) / 5.0);
    assertThat(local).isBetween(450, 550);
    assertThat(a.status().get("store_degraded")).isEqualTo(Boolean.TRUE);

    redis.start();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      a.onRequest(new TestExchange(contextA));
      b.onRequest(new TestExchange(contextB));
      return Boolean.FALSE.equals(a.status().get("store_degraded")) && Boolean.FALSE.equals(b.status().get("store_degraded"));
    });
    Load.drain(requestA);
    int again = together(requestA, requestB, Duration.ofSeconds(5));
    System.out.printf("redis back: admitted %d of 500 (%+.1f%%)%n", again, (again - 500) / 5.0);
    assertThat(again).isBetween(485, 515);
  }
}
