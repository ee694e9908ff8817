package io.portico.balance;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The balancers an upstream's {@code balancer} setting can name. */
public final class Balancers {
  private static final Logger LOG = LoggerFactory.getLogger(Balancers.class);
  public static final String ROUND_ROBIN = "round-robin";
  public static final String WEIGHTED_ROUND_ROBIN = "weighted-round-robin";

  private static final AtomicInteger OFFSETS = new AtomicInteger();
  private static final Map<String, BalancerFactory> FACTORIES = Map.of(
      ROUND_ROBIN, (endpoints, previous) -> new RoundRobinBalancer(endpoints, OFFSETS.getAndIncrement()),
      WEIGHTED_ROUND_ROBIN, (endpoints, previous) -> new SmoothWeightedBalancer(endpoints));

  private Balancers() {}

  /** Whether {@code name} is a balancer this build provides. */
  public static boolean isKnown(String name) {
    return FACTORIES.containsKey(name);
  }

  /**
   * The factory for {@code name}. A name this build does not provide falls back to round-robin with
   * a warning, so a config written for a newer gateway still routes.
   */
  public static BalancerFactory factory(String name, String upstream) {
    BalancerFactory factory = FACTORIES.get(name);
    if (factory == null) {
      LOG.warn("upstream {}: balancer \"{}\" is not available, using {}", upstream, name, ROUND_ROBIN);
      return FACTORIES.get(ROUND_ROBIN);
    }
    return factory;
  }
}
