package io.portico.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.RecordingBackend;
import io.portico.testing.SeparateLoops;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One of three backends ten times slower than the others: the latency-aware balancer keeps the
 * route's tail close to that of a healthy upstream. The percentiles are printed (the figures the
 * load benchmark reports); the assertions bound the share the slow endpoint gets and, loosely,
 * the tail.
 */
class SlowEndpointTest extends SeparateLoops {
  static final int DELAY_MS = 5;
  static final int SLOW_DELAY_MS = 50;
  static final int REQUESTS = 1500;
  static final int WARM_UP = 300;
  static final int CONCURRENCY = 3;

  RecordingBackend delayed(int millis) {
    return RecordingBackend.start(backends, request -> backends.setTimer(millis, t -> request.response().end("ok")));
  }

  @Test
  void peakEwmaKeepsTheTailNearAHealthyUpstreamsWhenOneEndpointSlowsDown() {
    RecordingBackend fast1 = delayed(DELAY_MS);
    RecordingBackend fast2 = delayed(DELAY_MS);
    RecordingBackend fast3 = delayed(DELAY_MS);
    RecordingBackend slow = delayed(SLOW_DELAY_MS);
    Gateway gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - { name: healthy, balancer: peak-ewma, endpoints: [%s, %s, %s] }
          - { name: one-slow, balancer: peak-ewma, endpoints: [%s, %s, %s] }
          - { name: one-slow-rr, balancer: round-robin, endpoints: [%s, %s, %s] }
        routes:
          - { name: healthy, match: { path-prefix: /healthy }, upstream: healthy }
          - { name: one-slow, match: { path-prefix: /one-slow }, upstream: one-slow }
          - { name: one-slow-rr, match: { path-prefix: /rr }, upstream: one-slow-rr }
        """.formatted(fast1.address(), fast2.address(), fast3.address(),
            fast1.address(), fast2.address(), slow.address(),
            fast1.address(), fast2.address(), slow.address()))));
    try {
      HttpClient client = clients.createHttpClient(
          new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()),
          new PoolOptions().setHttp1MaxSize(CONCURRENCY));
      run(client, "/healthy/x", WARM_UP); // the balancers learn the latencies; steady state is measured
      run(client, "/one-slow/x", WARM_UP);
      run(client, "/rr/x", WARM_UP);
      long[] healthy = run(client, "/healthy/x", REQUESTS);
      slow.clear();
      long[] oneSlow = run(client, "/one-slow/x", REQUESTS);
      int slowShare = slow.received().size();
      long[] roundRobin = run(client, "/rr/x", REQUESTS);

      double healthyP99 = percentile(healthy, 0.99);
      double oneSlowP99 = percentile(oneSlow, 0.99);
      System.out.printf("peak-ewma: healthy p50 %.1f ms p99 %.1f ms; one endpoint 10x slower p50 %.1f ms p99 %.1f ms "
              + "(%.2fx), slow endpoint got %d of %d; round-robin p99 %.1f ms%n",
          percentile(healthy, 0.5), healthyP99, percentile(oneSlow, 0.5), oneSlowP99, oneSlowP99 / healthyP99,
          slowShare, REQUESTS, percentile(roundRobin, 0.99));
      assertThat(slowShare).as("requests to the slow endpoint").isLessThan(REQUESTS / 20);
      // generous: a busy machine moves percentiles; the figure itself is reported from the print
      assertThat(oneSlowP99).isLessThan(Math.max(healthyP99 * 4, SLOW_DELAY_MS));
    } finally {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
  }

  /** Sends {@code count} GETs, {@link #CONCURRENCY} at a time; returns each one's latency in ns. */
  private long[] run(HttpClient client, String uri, int count) {
    long[] latencies = new long[count];
    int[] next = {0};
    List<Future<Void>> workers = new ArrayList<>();
    for (int w = 0; w < CONCURRENCY; w++) {
      workers.add(worker(client, uri, latencies, next));
    }
    Await.result(Future.all(workers), 120);
    return latencies;
  }

  private Future<Void> worker(HttpClient client, String uri, long[] latencies, int[] next) {
    return clients.<Integer>executeBlocking(() -> 0).compose(v -> loop(client, uri, latencies, next));
  }

  private Future<Void> loop(HttpClient client, String uri, long[] latencies, int[] next) {
    int index;
    synchronized (next) {
      index = next[0]++;
    }
    if (index >= latencies.length) {
      return Future.succeededFuture();
    }
    long start = System.nanoTime();
    return client.request(new RequestOptions().setURI(uri))
        .compose(request -> request.send().compose(response -> response.body()))
        .compose(body -> {
          latencies[index] = System.nanoTime() - start;
          return loop(client, uri, latencies, next);
        });
  }

  static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
