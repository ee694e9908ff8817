package io.portico.admin;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.concurrent.TimeUnit;

/** Percentiles estimated from cumulative histogram buckets, as Prometheus's histogram_quantile. */
final class Percentiles {
  private Percentiles() {}

  /**
   * The count of each bucket within the window: {@code now} minus {@code then} (cumulative counts
   * at the window's start, or {@code null} for since the start). {@code null} when the bucket
   * layouts differ or nothing was counted.
   */
  static double[] window(CountAtBucket[] now, CountAtBucket[] then) {
    if (now == null || now.length == 0 || (then != null && then.length != now.length)) {
      return null;
    }
    double[] counts = new double[now.length];
    for (int i = 0; i < now.length; i++) {
      counts[i] = now[i].count() - (then == null ? 0 : then[i].count());
    }
    return total(counts) > 0 ? counts : null;
  }

  private static double total(double[] cumulative) {
    double max = 0;
    for (double c : cumulative) {
      max = Math.max(max, c);
    }
    return max;
  }

  /**
   * The {@code q} quantile in milliseconds: the bucket where the rank falls, interpolated linearly
   * between its lower and upper bound; the top bound when the rank lies beyond the last bucket.
   */
  static double estimate(CountAtBucket[] bounds, double[] cumulative, double q) {
    double total = total(cumulative);
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (int i = 0; i < bounds.length; i++) {
      double upper = bounds[i].bucket(TimeUnit.MILLISECONDS);
      if (cumulative[i] >= rank) {
        double inBucket = cumulative[i] - below;
        return inBucket <= 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
      }
      lower = upper;
      below = cumulative[i];
    }
    return lower;
  }
}
