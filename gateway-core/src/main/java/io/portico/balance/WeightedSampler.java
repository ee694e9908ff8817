package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Draws an endpoint position at random in proportion to the endpoints' weights, in constant time
 * whatever their number (Vose's alias method). Immutable. With equal weights it is a plain uniform
 * draw.
 */
final class WeightedSampler {
  private static final long ONE = 1L << 32;

  private final int size;
  private final boolean uniform;
  /** Per column: keep the column when the low 32 random bits are below this, else take the alias. */
  private final long[] keep;
  private final int[] alias;

  WeightedSampler(Endpoint[] endpoints) {
    this.size = endpoints.length;
    boolean equal = true;
    long total = 0;
    for (Endpoint endpoint : endpoints) {
      total += endpoint.weight();
      equal &= endpoint.weight() == endpoints[0].weight();
    }
    this.uniform = equal;
    this.keep = new long[size];
    this.alias = new int[size];
    if (!equal) {
      build(endpoints, total);
    }
  }

  private void build(Endpoint[] endpoints, long total) {
    // each column holds total/size of probability mass: its own share and the rest from its alias
    double[] scaled = new double[size];
    int[] small = new int[size];
    int[] large = new int[size];
    int smallCount = 0;
    int largeCount = 0;
    for (int i = 0; i < size; i++) {
      scaled[i] = (double) endpoints[i].weight() * size / total;
      if (scaled[i] < 1.0) {
        small[smallCount++] = i;
      } else {
        large[largeCount++] = i;
      }
    }
    while (smallCount > 0 && largeCount > 0) {
      int less = small[--smallCount];
      int more = large[--largeCount];
      keep[less] = (long) (scaled[less] * ONE);
      alias[less] = more;
      scaled[more] = scaled[more] + scaled[less] - 1.0;
      if (scaled[more] < 1.0) {
        small[smallCount++] = more;
      } else {
        large[largeCount++] = more;
      }
    }
    // what is left holds a full column, give or take rounding
    while (largeCount > 0) {
      keep[large[--largeCount]] = ONE;
    }
    while (smallCount > 0) {
      keep[small[--smallCount]] = ONE;
    }
  }

  /** A position drawn in proportion to weight. */
  int next() {
    if (uniform) {
      return size == 1 ? 0 : ThreadLocalRandom.current().nextInt(size);
    }
    long random = ThreadLocalRandom.current().nextLong();
    int column = (int) (((random >>> 32) * size) >>> 32); // high bits pick the column
    return (random & 0xFFFFFFFFL) < keep[column] ? column : alias[column];
  }

  /** Whether every endpoint has the same weight. */
  boolean uniform() {
    return uniform;
  }

  int size() {
    return size;
  }
}
