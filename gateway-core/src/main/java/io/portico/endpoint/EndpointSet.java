package io.portico.endpoint;

import io.portico.balance.Balancer;
import io.portico.balance.BalancerFactory;
import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.ArrayList;
import java.util.List;

/**
 * The endpoints of one upstream at one moment, with one balancer per event loop over the ready
 * ones. Immutable apart from the balancers' own state, each touched only by its loop. A change of
 * endpoints (discovery, health) builds a new set.
 */
public final class EndpointSet {
  private final List<Endpoint> endpoints;
  private final Balancer[] balancers;

  private EndpointSet(List<Endpoint> endpoints, Balancer[] balancers) {
    this.endpoints = endpoints;
    this.balancers = balancers;
  }

  /**
   * A set over {@code endpoints} with a balancer from {@code factory} for each of {@code loops}
   * event loops. Endpoints that are not ready are listed but never picked.
   */
  public static EndpointSet of(List<Endpoint> endpoints, BalancerFactory factory, int loops) {
    List<Endpoint> ready = new ArrayList<>(endpoints.size());
    for (Endpoint endpoint : endpoints) {
      if (endpoint.ready()) {
        ready.add(endpoint);
      }
    }
    Balancer[] balancers = null;
    if (!ready.isEmpty()) {
      List<Endpoint> readyView = List.copyOf(ready);
      balancers = new Balancer[loops];
      for (int i = 0; i < loops; i++) {
        balancers[i] = factory.create(readyView);
      }
    }
    return new EndpointSet(List.copyOf(endpoints), balancers);
  }

  /** The endpoint for a try on event loop {@code loop}, or {@code null} when none is ready. */
  public Endpoint pick(int loop, Exchange exchange) {
    return balancers == null ? null : balancers[loop].pick(exchange);
  }

  /** Every endpoint, ready or not. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }
}
