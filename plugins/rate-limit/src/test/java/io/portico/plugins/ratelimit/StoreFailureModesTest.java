package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.spi.Decision;
import io.portico.spi.Reply;
import io.portico.testkit.TestExchange;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** on-store-failure allow and deny, a hung Redis (timeouts), a late Redis, and a password. */
class StoreFailureModesTest {
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  @Test
  void denyAnswers503WithoutWaitingOnAHungRedisAndProbesItOnceASecond() throws Exception {
    RedisProcess redis = opened(new RedisProcess());
    Replica replica = opened(new Replica(Configs.limit(1000, Duration.ofSeconds(1))
        .redis(redis.uri(), Duration.ofMillis(200)).onStoreFailure(RateLimitConfig.OnStoreFailure.DENY).build(), 1));
    replica.awaitShared();

    redis.pause();
    AtomicInteger slow = new AtomicInteger();
    List<Future<Decision>> answers = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < 300; i++) { // 100/s for 3 s
      LockSupport.parkNanos(start + i * 10_000_000L - System.nanoTime());
      long sent = System.nanoTime();
      answers.add(replica.load.request().onComplete(ar -> {
        if (System.nanoTime() - sent > TimeUnit.MILLISECONDS.toNanos(150)) {
          slow.incrementAndGet();
        }
      }));
    }
    for (Future<Decision> answer : answers) {
      Decision decision = Load.await(answer);
      assertThat(decision).isInstanceOf(Reply.class);
      assertThat(((Reply) decision).status()).isEqualTo(503);
      assertThat(((Reply) decision).error()).isEqualTo("rate_limit_unavailable");
    }
    // requests sent before the first timeout wait for it (~20 at 100/s, up to two timeouts when
    // batched behind the first call); after that only one probe a second does
    System.out.printf("hung redis, 300 requests over 3 s: %d waited for the store's timeout%n", slow.get());
    assertThat(slow.get()).isBetween(1, 50);
    assertThat(replica.degraded()).isTrue();
    assertThat(replica.context.count("portico.ratelimit.rejected")).isEqualTo(300);

    redis.resume();
    replica.awaitShared();
    TestExchange exchange = new TestExchange(replica.load.context());
    assertThat(Load.await(replica.load.request(exchange))).isSameAs(Decision.next());
    assertThat(exchange.additionalResponseHeaders().get("RateLimit-Limit")).isEqualTo("1000");
  }

  @Test
  void allowLetsEverythingThroughWithoutHeadersWhileRedisIsDown() throws Exception {
    RedisProcess redis = opened(new RedisProcess());
    Replica replica = opened(new Replica(Configs.limit(2, Duration.ofMinutes(1))
        .redis(redis.uri(), Duration.ofMillis(200)).onStoreFailure(RateLimitConfig.OnStoreFailure.ALLOW).build(), 1));
    replica.awaitShared();
    redis.kill();

    for (int i = 0; i < 10; i++) {
      TestExchange exchange = new TestExchange(replica.load.context());
      assertThat(Load.await(replica.load.request(exchange))).isSameAs(Decision.next());
      assertThat(exchange.additionalResponseHeaders().isEmpty()).isTrue();
    }
    assertThat(replica.degraded()).isTrue();
    assertThat(replica.context.count("portico.ratelimit.store.failures")).isPositive();
    assertThat(replica.context.count("portico.ratelimit.rejected")).isZero();
  }

  @Test
  void startsWithoutRedisAndSharesOnceItComes() throws Exception {
    RedisProcess redis = opened(new RedisProcess());
    redis.kill();
    long start = System.nanoTime();
    Replica replica = opened(new Replica(Configs.limit(5, Duration.ofMinutes(1))
        .redis(redis.uri(), Duration.ofMillis(200)).localShare(0.4).build(), 1));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5)); // warm-up does not hang

    int admitted = replica.load.offer(100, Duration.ofMillis(200));
    assertThat(admitted).isEqualTo(2); // 40 % of 5, locally
    assertThat(replica.degraded()).isTrue();

    redis.start();
    replica.awaitShared();
    assertThat(redis.command("KEYS portico:rate-limit:r:*")).contains("portico:rate-limit:r:");
  }

  @Test
  void requestsBeforeTheFirstConnectionWaitForItInsteadOfFailing() throws Exception {
    RedisProcess redis = opened(new RedisProcess());
    Vertx vertx = Vertx.vertx();
    opened(() -> vertx.close().await());
    RateLimitPlugin plugin = new RateLimitPlugin(Configs.limit(5, Duration.ofMinutes(1))
        .redis(redis.uri(), Duration.ofMillis(500)).build(), new TestPluginContext(vertx).routeName("r"), name -> null);
    opened(() -> plugin.close().await());
    Load load = new Load(plugin, vertx.getOrCreateContext());

    TestExchange first = new TestExchange(load.context()); // sent at once, no warm-up
    assertThat(Load.await(load.request(first))).isSameAs(Decision.next());

    assertThat(first.additionalResponseHeaders().get("RateLimit-Remaining")).isEqualTo("4");
    assertThat(plugin.status()).containsEntry("store_degraded", false);
    assertThat(redis.command("KEYS *")).contains("portico:rate-limit:r:");
  }

  @Test
  void authenticatesWithThePasswordFromTheEnvironment() throws Exception {
    RedisProcess redis = opened(new RedisProcess("s3cret-pw"));
    RateLimitConfig.Redis settings = new RateLimitConfig.Redis(redis.uri(), "RATE_LIMIT_REDIS_PASSWORD", null, Duration.ofMillis(500));
    Replica replica = opened(new Replica(Configs.limit(5, Duration.ofMinutes(1)).redis(settings).build(), 1,
        name -> name.equals("RATE_LIMIT_REDIS_PASSWORD") ? "s3cret-pw" : null));
    replica.awaitShared();
    assertThat(redis.command("KEYS *")).contains("portico:rate-limit:r:");

    Replica wrong = opened(new Replica(Configs.limit(5, Duration.ofMinutes(1)).redis(settings).build(), 1, name -> "wrong"));
    Load.await(wrong.load.request());
    assertThat(wrong.degraded()).isTrue();
  }
}
