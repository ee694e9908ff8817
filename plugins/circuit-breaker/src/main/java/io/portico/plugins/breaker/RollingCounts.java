package io.portico.plugins.breaker;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Calls and failures over a rolling window, in one-second buckets, lock-free. Vert.x Circuit
 * Breaker counts failures only, so a failure rate with a minimum volume is judged here.
 */
final class RollingCounts {
  private final int buckets;
  private final AtomicLongArray second;
  private final AtomicLongArray calls;
  private final AtomicLongArray failures;
  private final LongSupplier clockMillis;

  RollingCounts(long windowMillis, LongSupplier clockMillis) {
    this.buckets = (int) Math.max(1, windowMillis / 1000);
    this.second = new AtomicLongArray(buckets);
    this.calls = new AtomicLongArray(buckets);
    this.failures = new AtomicLongArray(buckets);
    this.clockMillis = clockMillis;
  }

  void record(boolean failed) {
    long now = clockMillis.getAsLong() / 1000;
    int i = (int) (now % buckets);
    long seen = second.get(i);
    if (seen != now && second.compareAndSet(i, seen, now)) {
      calls.set(i, 0); // a bucket left over from an earlier lap of the window
      failures.set(i, 0);
    }
    calls.incrementAndGet(i);
    if (failed) {
      failures.incrementAndGet(i);
    }
  }

  /** Failure percentage over the window, or -1 when fewer than {@code minimum} calls were seen. */
  int failureRate(int minimum) {
    long now = clockMillis.getAsLong() / 1000;
    long total = 0;
    long failed = 0;
    for (int i = 0; i < buckets; i++) {
      if (now - second.get(i) < buckets) {
        total += calls.get(i);
        failed += failures.get(i);
      }
    }
    return total < minimum ? -1 : (int) (failed * 100 / total);
  }

  void clear() {
    for (int i = 0; i < buckets; i++) {
      calls.set(i, 0);
      failures.set(i, 0);
    }
  }
}
