package io.portico.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  static CountAtBucket[] buckets(double... cumulative) {
    double[] boundsMs = {1, 2, 5, 10};
    CountAtBucket[] buckets = new CountAtBucket[boundsMs.length];
    for (int i = 0; i < boundsMs.length; i++) {
      buckets[i] = new CountAtBucket(TimeUnit.MILLISECONDS.toNanos((long) boundsMs[i]), cumulative[i]);
    }
    return buckets;
  }

  @Test
  void interpolatesWithinTheBucketWhereTheRankFalls() {
    CountAtBucket[] now = buckets(50, 90, 100, 100);
    double[] window = Percentiles.window(now, null);

    assertThat(Percentiles.estimate(now, window, 0.5)).isCloseTo(1.0, within(1e-9));
    assertThat(Percentiles.estimate(now, window, 0.7)).isCloseTo(1.5, within(1e-9)); // rank 70: half way in (1, 2]
    assertThat(Percentiles.estimate(now, window, 0.99)).isCloseTo(4.7, within(1e-9)); // rank 99 of 10 in (2, 5]
  }

  @Test
  void onlyTheWindowCounts() {
    CountAtBucket[] then = buckets(100, 100, 100, 100); // an earlier minute of fast requests
    CountAtBucket[] now = buckets(100, 100, 100, 200);  // this one: all between 5 and 10 ms

    double[] window = Percentiles.window(now, then);
    assertThat(Percentiles.estimate(now, window, 0.5)).isCloseTo(7.5, within(1e-9));
    assertThat(Percentiles.window(now, now)).as("nothing in the window").isNull();
  }
}
