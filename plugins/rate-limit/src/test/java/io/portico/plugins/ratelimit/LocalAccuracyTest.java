package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.spi.Plugin;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One replica, local buckets: the limit holds under five times the load. */
class LocalAccuracyTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void admitsTheLimitWithinTwoPercentUnderFiveTimesTheLoad() throws Exception {
    TestPluginContext context = new TestPluginContext(vertx).routeName("r");
    Plugin plugin = new RateLimitPluginFactory().create(Configs.limit(100, Duration.ofSeconds(1)).build(), context);
    Load load = new Load(plugin, vertx.getOrCreateContext());
    int burst = load.drain(); // the first 100 are the bucket's burst, not the rate

    int admitted = load.offer(500, Duration.ofSeconds(10));

    System.out.printf("local: 500/s offered for 10 s, limit 100/s: admitted %d of 1000 (%+.1f%%)%n",
        admitted, (admitted - 1000) / 10.0);
    assertThat(admitted).isBetween(980, 1020);
    assertThat(context.count("portico.ratelimit.allowed")).isEqualTo(admitted + burst);
    assertThat(context.count("portico.ratelimit.rejected")).isGreaterThanOrEqualTo(5000 - admitted);
  }
}
