package io.portico.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.spi.Decision;
import io.portico.testkit.TestExchange;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A flood of distinct keys: the bucket cache keeps to max-keys and the heap does not grow with the flood. */
class KeyCacheBoundTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aMillionDistinctClientsStayWithinMaxKeys() {
    RateLimitPlugin plugin = (RateLimitPlugin) new RateLimitPluginFactory().create(
        Configs.limit(10, Duration.ofMinutes(1)).key("client-ip").maxKeys(10_000).build(), new TestPluginContext(vertx).routeName("r"));
    Context context = vertx.getOrCreateContext();
    long heapBefore = usedHeapAfterGc();

    int admitted = 0;
    for (int i = 0; i < 1_000_000; i++) {
      String ip = "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255);
      if (plugin.onRequest(new TestExchange(context).clientIp(ip)).result() == Decision.next()) {
        admitted++;
      }
    }

    long keys = plugin.localKeys();
    long grown = usedHeapAfterGc() - heapBefore;
    System.out.printf("1,000,000 distinct keys, max-keys 10000: %d buckets kept, heap grew %.1f MiB%n",
        keys, grown / 1048576.0);
    assertThat(admitted).isEqualTo(1_000_000); // each new client has a full bucket of its own
    assertThat(keys).isBetween(9_500L, 10_000L);
    // 10,000 buckets take a few MiB; 1,000,000 unbounded ones would take hundreds
    assertThat(grown).isLessThan(64L << 20);
  }

  private static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
