package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.List;

/** Builds a {@link Balancer} for one event loop over a fixed list of endpoints that take traffic. */
@FunctionalInterface
public interface BalancerFactory {

  /**
   * @param endpoints never empty; only endpoints that take traffic, with their effective weights
   * @param previous the same loop's balancer over the upstream's previous list, or {@code null}: a
   *     stateful balancer carries over what it learnt of the endpoints still present
   */
  Balancer create(List<Endpoint> endpoints, Balancer previous);
}
