package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A consistent-hash ring (Karger et al., as in Envoy's ring hash): each endpoint owns points on a
 * 64-bit circle, as many as its weight asks, and a key goes to the owner of the first point at or
 * after the key's hash. Removing an endpoint moves only the keys it owned; adding it back returns
 * them, because an endpoint's points depend on its host, port and weight alone.
 *
 * <p>Each endpoint gets {@value #POINTS_PER_UNIT} points per unit of weight (the greatest common
 * divisor of the weights, so weights 100, 100, 300 are 1, 1, 3), and the ring is capped at about
 * {@value #MAX_POINTS} points so that a thousand endpoints still build in milliseconds; beyond the
 * cap every endpoint gets proportionally fewer. Immutable, so one ring serves every event loop.
 */
final class HashRing {
  static final int POINTS_PER_UNIT = 160;
  static final int MAX_POINTS = 1 << 17;

  /** Sorted; the low bits of each point hold its owner's position (see {@link #build}). */
  private final long[] points;
  private final Endpoint[] owners;
  /**
   * Where the points whose top bits are {@code b} start: a lookup binary-searches only among the
   * few points of its key's bucket instead of the whole ring (fewer cache misses on big rings).
   */
  private final int[] buckets;
  private final int shift;

  private HashRing(long[] points, Endpoint[] owners) {
    this.points = points;
    this.owners = owners;
    int bits = Math.max(1, 31 - Integer.numberOfLeadingZeros(points.length) - 2); // about four points a bucket
    this.shift = 64 - bits;
    this.buckets = new int[(1 << bits) + 1];
    int k = 0;
    for (int b = 0; b < buckets.length; b++) {
      while (k < points.length && bucket(points[k]) < b) {
        k++;
      }
      buckets[b] = k;
    }
  }

  /** The top bits of {@code hash} in the ring's (signed) order. */
  private int bucket(long hash) {
    return (int) ((hash ^ Long.MIN_VALUE) >>> shift);
  }

  /** The ring over {@code endpoints} (not empty). */
  static HashRing build(List<Endpoint> endpoints) {
    int n = endpoints.size();
    long gcd = 0;
    long units = 0;
    for (Endpoint endpoint : endpoints) {
      gcd = gcd(gcd, endpoint.weight());
    }
    for (Endpoint endpoint : endpoints) {
      units += endpoint.weight() / gcd;
    }
    double perUnit = Math.min(POINTS_PER_UNIT, (double) MAX_POINTS / units);
    int[] counts = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      counts[i] = (int) Math.max(1, Math.round(endpoints.get(i).weight() / gcd * perUnit));
      total += counts[i];
    }
    // A point is its hash with the low bits replaced by its owner's position: sorting plain longs
    // then orders points and owners together. The hash keeps 54 or more bits, plenty for a ring.
    int bits = 32 - Integer.numberOfLeadingZeros(n - 1);
    long mask = (1L << bits) - 1;
    long[] points = new long[total];
    int next = 0;
    for (int i = 0; i < n; i++) {
      Endpoint endpoint = endpoints.get(i);
      long seed = Hash64.mix(Hash64.of(endpoint.host()), endpoint.port());
      for (int j = 0; j < counts[i]; j++) {
        points[next++] = (Hash64.mix(seed, j) & ~mask) | i;
      }
    }
    Arrays.sort(points);
    Endpoint[] owners = new Endpoint[total];
    for (int k = 0; k < total; k++) {
      owners[k] = endpoints.get((int) (points[k] & mask));
    }
    return new HashRing(points, owners);
  }

  /** The endpoint owning {@code hash}: the owner of the first point at or after it, wrapping round. */
  Endpoint lookup(long hash) {
    int b = bucket(hash);
    // every point of later buckets is above hash: when none of this bucket is, the next point is
    // the first of the following buckets, at index buckets[b + 1]
    int at = Arrays.binarySearch(points, buckets[b], buckets[b + 1], hash);
    if (at < 0) {
      at = -at - 1;
    }
    return owners[at == points.length ? 0 : at];
  }

  /** An endpoint drawn at random in proportion to its points, for requests without a key. */
  Endpoint random() {
    return owners[ThreadLocalRandom.current().nextInt(owners.length)];
  }

  /** The {@code i}th point in ring order (its low bits hold the owner's position). */
  long point(int i) {
    return points[i];
  }

  /** The owner of the {@code i}th point. */
  Endpoint owner(int i) {
    return owners[i];
  }

  /** How many points the ring has. */
  int size() {
    return points.length;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
