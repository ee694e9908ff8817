package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.List;

/** Each endpoint in turn, ignoring weights. */
public final class RoundRobinBalancer implements Balancer {
  private final Endpoint[] endpoints;
  private int next;

  public RoundRobinBalancer(List<Endpoint> endpoints, int start) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
    // loops start at different offsets so that together they spread from the first request
    this.next = Math.floorMod(start, this.endpoints.length);
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    Endpoint endpoint = endpoints[next];
    next = next + 1 == endpoints.length ? 0 : next + 1;
    return endpoint;
  }
}
