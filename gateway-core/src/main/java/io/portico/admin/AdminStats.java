package io.portico.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
 * rate, error rate, p50 and p99, a 15-minute history ({@link RouteHistory}), rate-limit rejections
 * and breaker states. Read from the meters of the {@code metrics} plugin
 * ({@code portico.request.duration}, {@code portico.requests}), which is on by default; a route
 * with {@code metrics: false} has no figures. Cumulative counts and histogram buckets are sampled every 5 seconds on the admin
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
  private final RouteHistory history = new RouteHistory();

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
    Sample previous = samples.peekLast();
    Sample sample = new Sample(System.currentTimeMillis(), counts(), buckets());
    samples.addLast(sample);
    if (previous != null) {
      record(previous, sample);
    }
    while (samples.size() > SAMPLES) {
      samples.removeFirst();
    }
  }

  /** One point of each route's 15-minute history: what happened between two samples. */
  private void record(Sample then, Sample now) {
    double seconds = Math.max(0.001, (now.atMillis() - then.atMillis()) / 1000.0);
    for (Map.Entry<String, double[]> entry : now.countsByRoute().entrySet()) {
      double[] before = then.countsByRoute().getOrDefault(entry.getKey(), new double[2]);
      double requests = entry.getValue()[0] - before[0];
      double errors = entry.getValue()[1] - before[1];
      CountAtBucket[] nowBuckets = now.bucketsByRoute().get(entry.getKey());
      double[] window = nowBuckets == null ? null : Percentiles.window(nowBuckets, then.bucketsByRoute().get(entry.getKey()));
      double p99 = window == null || requests <= 0 ? Double.NaN : Percentiles.estimate(nowBuckets, window, 0.99);
      history.add(entry.getKey(), now.atMillis(), requests / seconds, requests > 0 ? errors / requests : 0, p99);
    }
    history.retain(now.countsByRoute().keySet());
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
      entry.put("rate_limit_rejected", (long) sum("portico.ratelimit.rejected", route));
      entry.put("history", history.render(route));
      routes.add(entry);
    }
    return new JsonObject().put("window_seconds", seconds)
        .put("history_step_seconds", SAMPLE_MILLIS / 1000)
        .put("routes", routes)
        .put("breakers", breakers())
        .put("overload", overload());
  }

  /** Whether the gateway sheds load, per signal, from the overload gauges and counters. */
  private JsonObject overload() {
    JsonObject signals = new JsonObject();
    for (Gauge gauge : registry.find("portico.overload.state").gauges()) {
      signals.put(gauge.getId().getTag("signal"), gauge.value() > 0);
    }
    Counter shed = registry.find("portico.overload.shed").counter();
    Counter refused = registry.find("portico.overload.connections.refused").counter();
    return new JsonObject().put("shedding", signals.stream().anyMatch(e -> Boolean.TRUE.equals(e.getValue())))
        .put("signals", signals)
        .put("shed_total", shed == null ? 0 : (long) shed.count())
        .put("connections_refused_total", refused == null ? 0 : (long) refused.count());
  }

  private double sum(String counter, String route) {
    double total = 0;
    for (Counter c : registry.find(counter).tag("route", route).counters()) {
      total += c.count();
    }
    return total;
  }

  private static final String[] BREAKER_STATES = {"closed", "open", "half-open"};

  /** Each route's circuit breaker, from the {@code circuit-breaker} plugin's state gauge. */
  private JsonArray breakers() {
    JsonArray breakers = new JsonArray();
    for (Gauge gauge : registry.find("portico.breaker.state").gauges()) {
      int code = (int) gauge.value();
      breakers.add(new JsonObject()
          .put("route", gauge.getId().getTag("route"))
          .put("state", code >= 0 && code < BREAKER_STATES.length ? BREAKER_STATES[code] : "unknown"));
    }
    return breakers;
  }
}
