package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;

/**
 * Picks the endpoint for one upstream try. An instance belongs to one event loop and one endpoint
 * list, so it keeps its state in plain fields: no locks, no atomics. A new endpoint list (discovery,
 * health) gets a new instance from the {@link BalancerFactory}, which may carry over the previous
 * instance's statistics.
 */
public interface Balancer {

  /**
   * The endpoint for this try, or {@code null} when there is none. Called on the owning event loop.
   *
   * @param exchange the exchange being proxied (hash-based balancers read their key from it)
   */
  Endpoint pick(Exchange exchange);

  /** A try to {@code endpoint} (a result of {@link #pick}) started. On the owning event loop. */
  default void started(Endpoint endpoint) {}

  /**
   * The try to {@code endpoint} ended: its answer head arrived, or it failed.
   *
   * @param nanos time from {@link #started} to the answer head or the failure
   * @param failed whether the try failed (connect failure, reset, timeout)
   */
  default void finished(Endpoint endpoint, long nanos, boolean failed) {}
}
