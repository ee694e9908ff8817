package io.portico.balance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The balancers an upstream's {@code balancer} setting can name. */
public final class Balancers {
  private static final Logger LOG = LoggerFactory.getLogger(Balancers.class);
  public static final String ROUND_ROBIN = "round-robin";
  public static final String WEIGHTED_ROUND_ROBIN = "weighted-round-robin";
  public static final String LEAST_REQUEST = "least-request";
  public static final String CONSISTENT_HASH = "consistent-hash";
  public static final String RANDOM = "random";
  public static final String PEAK_EWMA = "peak-ewma";

  /** Makes the factory of one upstream (a factory may keep state shared by that upstream's loops). */
  @FunctionalInterface
  private interface Kind {
    BalancerFactory factory(String hashKey, String upstream);
  }

  private static final AtomicInteger OFFSETS = new AtomicInteger();
  private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

  static {
    BalancerFactory roundRobin = (endpoints, previous) -> new RoundRobinBalancer(endpoints, OFFSETS.getAndIncrement());
    KINDS.put(ROUND_ROBIN, (hashKey, upstream) -> roundRobin);
    KINDS.put(WEIGHTED_ROUND_ROBIN, (hashKey, upstream) -> (endpoints, previous) -> new SmoothWeightedBalancer(endpoints));
    KINDS.put(LEAST_REQUEST, (hashKey, upstream) -> LeastRequestBalancer::new);
    KINDS.put(CONSISTENT_HASH, Balancers::consistentHash);
    KINDS.put(RANDOM, (hashKey, upstream) -> (endpoints, previous) -> new RandomBalancer(endpoints));
    KINDS.put(PEAK_EWMA, (hashKey, upstream) -> PeakEwmaBalancer::new);
  }

  private static final List<String> NAMES = List.copyOf(KINDS.keySet());

  private Balancers() {}

  /** Whether {@code name} is a balancer this build provides. */
  public static boolean isKnown(String name) {
    return KINDS.containsKey(name);
  }

  /** The names of the balancers this build provides, round-robin first. */
  public static List<String> names() {
    return NAMES;
  }

  /** {@link #factory(String, String, String)} without a hash key. */
  public static BalancerFactory factory(String name, String upstream) {
    return factory(name, null, upstream);
  }

  /**
   * A new factory for one upstream's balancers. A name this build does not provide falls back to
   * round-robin with a warning, so a config written for a newer gateway still routes.
   *
   * @param hashKey the upstream's {@code hash-key} (only {@code consistent-hash} reads it), or {@code null}
   */
  public static BalancerFactory factory(String name, String hashKey, String upstream) {
    Kind kind = KINDS.get(name);
    if (kind == null) {
      LOG.warn("upstream {}: balancer \"{}\" is not available, using {}", upstream, name, ROUND_ROBIN);
      kind = KINDS.get(ROUND_ROBIN);
    }
    return kind.factory(hashKey, upstream);
  }

  private static BalancerFactory consistentHash(String hashKey, String upstream) {
    HashKey key = HashKey.parse(hashKey);
    if (key == null) {
      // validation rejects this; a config that skipped it still routes, just without affinity
      LOG.warn("upstream {}: hash-key \"{}\" is not valid, {} picks at random", upstream, hashKey, CONSISTENT_HASH);
    }
    return new ConsistentHashFactory(key);
  }
}
