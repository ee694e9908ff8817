package io.portico.upstream;

import java.util.Arrays;

/**
 * The last {@value #SIZE} answer-head latencies of a route on one event loop, and their 95th
 * percentile, recomputed every {@value #EVERY} samples (a sort of 256 longs, not on every
 * request). Confined to its loop.
 */
final class LatencyWindow {
  static final int SIZE = 256;
  static final int EVERY = 32;
  private final long[] samples = new long[SIZE];
  private final long[] scratch = new long[SIZE];
  private int count;
  private long p95Millis = -1;

  void add(long nanos) {
    samples[count % SIZE] = nanos;
    count++;
    if (count >= EVERY && count % EVERY == 0) {
      int n = Math.min(count, SIZE);
      System.arraycopy(samples, 0, scratch, 0, n);
      Arrays.sort(scratch, 0, n);
      p95Millis = Math.max(1, scratch[(int) Math.ceil(0.95 * n) - 1] / 1_000_000);
    }
  }

  /** The p95 in ms, or -1 before {@value #EVERY} samples. */
  long p95Millis() {
    return p95Millis;
  }
}
