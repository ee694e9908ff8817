package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.spi.Plugin;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalRateLimitTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }

  private Plugin plugin(String key, int maxKeys) {
    RateLimitConfig config = new RateLimitConfig(key, List.of(new RateLimitConfig.Limit(100L, Duration.ofSeconds(1), null)),
        null, null, null, null, null, null, null, maxKeys);
    return new RateLimitPluginFactory().create(config, new TestPluginContext(vertx));
  }

  @Test
  void admitsTheLimitWithinTwoPercentUnderFiveTimesTheLoad() throws Exception {
    Plugin plugin = plugin("route", 1000);
    Context context = vertx.getOrCreateContext();
    Load.drain(() -> plugin.onRequest(new TestExchange(context)));
    int admitted = Load.offer(500, Duration.ofSeconds(10), () -> plugin.onRequest(new TestExchange(context)));
    System.out.printf("local: offered 5000 over 10 s at 500/s, limit 100/s, admitted %d (%.1f%% of the limit)%n",
        admitted, admitted / 10.0);
    assertThat(admitted).isBetween(980, 1020);
  }

  @Test
  void aMillionDistinctKeysStayWithinTheCacheBound() {
    Plugin plugin = plugin("header:X-Client", 10_000);
    Context context = vertx.getOrCreateContext();
    for (int i = 0; i < 1_000_000; i++) {
      plugin.onRequest(new TestExchange(context).header("X-Client", "c" + i));
    }
    assertThat(((RateLimitPlugin) plugin).localKeys()).isLessThanOrEqualTo(10_000);
  }
}
