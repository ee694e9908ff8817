package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.portico.testkit.TestPluginContext;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes naming the same Redis share one connection per gateway; the last one closes it. */
class RedisStoresTest {
  private RedisProcess redis;
  private final Vertx gatewayA = Vertx.vertx();
  private final Vertx gatewayB = Vertx.vertx();

  @BeforeEach
  void start() throws Exception {
    redis = new RedisProcess();
  }

  @AfterEach
  void stop() throws Exception {
    gatewayA.close().await();
    gatewayB.close().await();
    redis.close();
  }

  private RateLimitPlugin route(Vertx gateway) {
    RateLimitPlugin plugin = new RateLimitPlugin(Configs.limit(10, Duration.ofSeconds(1))
        .redis(redis.uri(), Duration.ofMillis(500)).build(), new TestPluginContext(gateway).routeName("r"), name -> null);
    plugin.warmUp().await();
    return plugin;
  }

  @Test
  void manyRoutesOneConnectionPerGateway() throws Exception {
    int before = RedisStores.open();
    List<RateLimitPlugin> routes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      routes.add(route(gatewayA));
    }
    assertThat(RedisStores.open()).isEqualTo(before + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.clients() == 1);

    RateLimitPlugin other = route(gatewayB);
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.clients() == 2);

    // a reload: the replacement acquires before the old route releases, so the connection stays
    routes.add(route(gatewayA));
    routes.remove(0).close().await();
    assertThat(redis.clients()).isEqualTo(2);

    for (RateLimitPlugin route : routes) {
      route.close().await();
    }
    route(gatewayA).close().await(); // opening and closing again works after the last close
    other.close().await();
    other.close().await(); // closing twice releases once
    assertThat(RedisStores.open()).isEqualTo(before);
    await().atMost(Duration.ofSeconds(10)).until(() -> redis.clients() == 0);
  }
}
