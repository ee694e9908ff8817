package io.portico.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Per-route figures over the last minute for {@code GET /admin/stats} and the status page: request
 * rate, error rate, p50 and p99. Read from the meters of the {@code metrics} plugin
 * ({@code portico.request.duration}, {@code portico.requests}); without that plugin there are no
 * figures. Cumulative counts and histogram buckets are sampled every 5 seconds on the admin
 * server's event loop, so a figure covers up to the last 60 seconds. The percentiles are estimated
 * from the window's bucket counts by linear interpolation within a bucket, as Prometheus's
 * {@code histogram_quantile} does: nothing beyond the buckets is recorded per request.
 */
final class AdminStats {
  private static final long SAMPLE_MILLIS = 5_000;
  private static final int SAMPLES = 13; // 12 intervals: one minute

  private record Sample(long atMillis, Map<String, double[]> countsByRoute, Map<String, CountAtBucket[]> bucketsByRoute) {}

  private final MeterRegistry registry;
  private final Deque<Sample> samples = new ArrayDeque<>();

  AdminStats(Vertx vertx, MeterRegistry registry) {
    this.registry = registry;
    sample();
    vertx.setPeriodic(SAMPLE_MILLIS, id -> sample());
  }

  /** {requests, errors} per route, cumulative. */
  private Map<String, double[]> counts() {
    Map<String, double[]> counts = new HashMap<>();
    for (Timer timer : registry.find("portico.request.duration").timers()) {
      counts.computeIfAbsent(timer.getId().getTag("route"), r -> new double[2])[0] += timer.count();
    }
    for (Counter counter : registry.find("portico.requests").tag("status_class", "5xx").counters()) {
      counts.computeIfAbsent(counter.getId().getTag("route"), r -> new double[2])[1] += counter.count();
    }
    return counts;
  }

  /** Cumulative histogram buckets of each route's request duration. */
  private Map<String, CountAtBucket[]> buckets() {
    Map<String, CountAtBucket[]> buckets = new HashMap<>();
    for (Timer timer : registry.find("portico.request.duration").timers()) {
      buckets.put(timer.getId().getTag("route"), timer.takeSnapshot().histogramCounts());
    }
    return buckets;
  }

  private synchronized void sample() {
    samples.addLast(new Sample(System.currentTimeMillis(), counts(), buckets()));
    while (samples.size() > SAMPLES) {
      samples.removeFirst();
    }
  }

  synchronized JsonObject render() {
    Sample oldest = samples.peekFirst();
    long now = System.currentTimeMillis();
    Map<String, double[]> current = counts();
    double seconds = oldest == null ? 0 : Math.max(1, (now - oldest.atMillis()) / 1000.0);
    JsonArray routes = new JsonArray();
    for (Timer timer : registry.find("portico.request.duration").timers()) {
      String route = timer.getId().getTag("route");
      double[] nowCounts = current.getOrDefault(route, new double[2]);
      double[] then = oldest == null ? new double[2] : oldest.countsByRoute().getOrDefault(route, new double[2]);
      double requests = nowCounts[0] - then[0];
      double errors = nowCounts[1] - then[1];
      JsonObject entry = new JsonObject()
          .put("route", route)
          .put("requests_total", (long) nowCounts[0])
          .put("rate_per_second", seconds > 0 ? requests / seconds : 0)
          .put("error_rate", requests > 0 ? errors / requests : 0);
      CountAtBucket[] nowBuckets = timer.takeSnapshot().histogramCounts();
      CountAtBucket[] thenBuckets = oldest == null ? null : oldest.bucketsByRoute().get(route);
      double[] window = Percentiles.window(nowBuckets, thenBuckets);
      if (window != null) {
        entry.put("p50_ms", Percentiles.estimate(nowBuckets, window, 0.5));
        entry.put("p99_ms", Percentiles.estimate(nowBuckets, window, 0.99));
      }
      routes.add(entry);
    }
    return new JsonObject().put("window_seconds", seconds).put("routes", routes);
  }
}
