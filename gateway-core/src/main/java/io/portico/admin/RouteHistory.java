package io.portico.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The last 15 minutes of each route for the status page's charts: one point per sampling interval
 * (request rate, error ratio and p99 over that interval) in a fixed ring per route, so memory is
 * bounded by the number of routes with series (itself capped by the {@code metrics} plugin) times
 * {@link #POINTS}. Not thread-safe: {@link AdminStats} calls it under its own lock.
 */
final class RouteHistory {
  static final int POINTS = 180; // 15 minutes of 5-second intervals

  /** One route's ring: rate, error ratio and p99 (NaN: nothing measured) per point. */
  private static final class Ring {
    final float[] rate = new float[POINTS];
    final float[] errorRatio = new float[POINTS];
    final float[] p99 = new float[POINTS];
    final long[] atMillis = new long[POINTS];
    int next;
    int size;

    void add(long at, double rps, double errors, double p99Millis) {
      atMillis[next] = at;
      rate[next] = (float) rps;
      errorRatio[next] = (float) errors;
      p99[next] = (float) p99Millis;
      next = (next + 1) % POINTS;
      size = Math.min(size + 1, POINTS);
    }
  }

  private final Map<String, Ring> rings = new HashMap<>();

  void add(String route, long atMillis, double ratePerSecond, double errorRatio, double p99Millis) {
    rings.computeIfAbsent(route, r -> new Ring()).add(atMillis, ratePerSecond, errorRatio, p99Millis);
  }

  /** Forgets routes that no longer have series. */
  void retain(Set<String> routes) {
    rings.keySet().retainAll(routes);
  }

  /** Oldest point first: {@code {t, rate, error_ratio, p99_ms}} ({@code p99_ms} null when nothing was measured). */
  JsonArray render(String route) {
    JsonArray points = new JsonArray();
    Ring ring = rings.get(route);
    if (ring == null) {
      return points;
    }
    for (int i = 0; i < ring.size; i++) {
      int at = (ring.next - ring.size + i + POINTS) % POINTS;
      points.add(new JsonObject()
          .put("t", ring.atMillis[at])
          .put("rate", ring.rate[at])
          .put("error_ratio", ring.errorRatio[at])
          .put("p99_ms", Float.isNaN(ring.p99[at]) ? null : ring.p99[at]));
    }
    return points;
  }
}
