package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;

/**
 * Picks the endpoint for one upstream try. An instance belongs to one event loop and one endpoint
 * list, so it keeps its state in plain fields: no locks, no atomics. A new endpoint list (discovery,
 * health) gets a new instance from the {@link BalancerFactory}.
 */
public interface Balancer {

  /**
   * The endpoint for this try, or {@code null} when there is none. Called on the owning event loop.
   *
   * @param exchange the exchange being proxied (hash-based balancers read their key from it)
   */
  Endpoint pick(Exchange exchange);
}
