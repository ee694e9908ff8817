package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.ClosedLoad;
import io.portico.testing.ClosedLoad.Answer;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.portico.testing.SeparateLoops;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two endpoints, one of which answers every twentieth request (5%) after a second: with
 * {@code hedge: { after: 50ms }} the route's p99 stays far below that second, without it the p99
 * is that second. Hedges stay within their budget, and a POST is never hedged.
 */
class HedgingTest extends SeparateLoops {
  static final int SLOW_MS = 1000;

  @Test
  void aHedgeAfter50msCutsTheTailOfAnEndpointThatSometimesStalls() {
    RecordingBackend steady = RecordingBackend.start(backends, r -> backends.setTimer(2, t -> r.response().end("ok")));
    AtomicInteger count = new AtomicInteger();
    RecordingBackend stalling = RecordingBackend.start(backends, r -> {
      int delay = count.incrementAndGet() % 20 == 0 ? SLOW_MS : 2;
      backends.setTimer(delay, t -> r.response().end("ok"));
    });
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: app, endpoints: [%s, %s] }
        routes:
          - name: hedged
            match: { path-prefix: /hedged }
            upstream: app
            hedge: { after: 50ms, max-extra: 1, budget-percent: 10 }
          - { name: plain, match: { path-prefix: /plain }, upstream: app }
        """.formatted(steady.address(), stalling.address()))));
    try {
      ClosedLoad load = new ClosedLoad(clients, gateway.port());
      load.run(HttpMethod.GET, "/plain/x", 2, 1000); // warm-up
      List<Answer> plain = load.run(HttpMethod.GET, "/plain/x", 4, 6000);
      List<Answer> hedged = load.run(HttpMethod.GET, "/hedged/x", 4, 6000);
      double plainP99 = ClosedLoad.percentileMillis(plain, a -> true, 0.99);
      double hedgedP99 = ClosedLoad.percentileMillis(hedged, a -> true, 0.99);
      Hedges hedge = new Hedges(gateway);
      System.out.printf("hedging: without p50 %.1f ms p99 %.1f ms (%d requests); with after 50ms p50 %.1f ms "
              + "p99 %.1f ms (%d requests), %d hedges sent, %d won%n",
          ClosedLoad.percentileMillis(plain, a -> true, 0.5), plainP99, plain.size(),
          ClosedLoad.percentileMillis(hedged, a -> true, 0.5), hedgedP99, hedged.size(), hedge.sentCount(),
          hedge.wonCount());

      assertThat(plain).allMatch(a -> a.status() == 200);
      assertThat(hedged).allMatch(a -> a.status() == 200);
      assertThat(plainP99).as("without hedging").isGreaterThanOrEqualTo(SLOW_MS * 0.9);
      assertThat(hedgedP99).as("with hedging").isLessThan(200);
      assertThat(hedge.wonCount()).isPositive();
      assertThat((double) hedge.sentCount()).as("within budget-percent 10 (and the 10 a quiet loop saves up)")
          .isLessThanOrEqualTo(hedged.size() * 0.10 + 10);

      // a POST is never hedged: each reaches the upstreams exactly once, however slow
      steady.clear();
      stalling.clear();
      List<Answer> posts = load.run(HttpMethod.POST, "/hedged/x", 2, 3000);
      long sentBefore = hedge.sentCount();
      assertThat(posts).allMatch(a -> a.status() == 200);
      assertThat(posts).anyMatch(a -> a.nanos() >= SLOW_MS * 900_000L);
      assertThat(steady.received().size() + stalling.received().size()).isEqualTo(posts.size());
      assertThat(hedge.sentCount()).isEqualTo(sentBefore);
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  /** The route's hedge counters, as the metrics show them. */
  record Hedges(Gateway gateway) {
    long sentCount() {
      return count("portico.route.hedges.sent");
    }

    long wonCount() {
      return count("portico.route.hedges.won");
    }

    private long count(String name) {
      var counter = gateway.meterRegistry().find(name).tag("route", "hedged").counter();
      return counter == null ? 0 : (long) counter.count();
    }
  }
}
