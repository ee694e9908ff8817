package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.List;

/** Builds a {@link Balancer} for one event loop over a fixed list of ready endpoints. */
@FunctionalInterface
public interface BalancerFactory {

  /** {@code endpoints} is never empty and holds only endpoints that take traffic. */
  Balancer create(List<Endpoint> endpoints);
}
