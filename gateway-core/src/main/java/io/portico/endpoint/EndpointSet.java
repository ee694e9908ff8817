package io.portico.endpoint;

import io.portico.balance.Balancer;
import io.portico.balance.BalancerFactory;
import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The endpoints of one upstream at one moment, with one balancer per event loop over the ones that
 * serve (ready, healthy, not ejected). Immutable apart from the balancers' own state, each touched
 * only by its loop. A change of endpoints (discovery, health) builds a new set.
 */
public final class EndpointSet {
  private final List<Endpoint> endpoints;
  private final Endpoint[] serving;
  private final Balancer[] balancers;
  private final IdentityHashMap<Endpoint, EndpointState> states;

  private EndpointSet(List<Endpoint> endpoints, Endpoint[] serving, Balancer[] balancers,
      IdentityHashMap<Endpoint, EndpointState> states) {
    this.endpoints = endpoints;
    this.serving = serving;
    this.balancers = balancers;
    this.states = states;
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
    return of(endpoints, ready, factory, loops, null, null);
  }

  /**
   * A set listing {@code endpoints} that picks among {@code serving} only.
   *
   * @param previous the set this one replaces, or {@code null}: its balancers hand their state on
   * @param states the shared state of each serving endpoint (by identity), or {@code null}
   */
  public static EndpointSet of(List<Endpoint> endpoints, List<Endpoint> serving, BalancerFactory factory, int loops,
      EndpointSet previous, IdentityHashMap<Endpoint, EndpointState> states) {
    Balancer[] balancers = null;
    if (!serving.isEmpty()) {
      List<Endpoint> servingView = List.copyOf(serving);
      balancers = new Balancer[loops];
      for (int i = 0; i < loops; i++) {
        Balancer before = previous == null || previous.balancers == null || previous.balancers.length <= i
            ? null : previous.balancers[i];
        balancers[i] = factory.create(servingView, before);
      }
    }
    return new EndpointSet(List.copyOf(endpoints), serving.toArray(new Endpoint[0]), balancers, states);
  }

  /** The endpoint for a try on event loop {@code loop}, or {@code null} when none serves. */
  public Endpoint pick(int loop, Exchange exchange) {
    return balancers == null ? null : balancers[loop].pick(exchange);
  }

  /**
   * The endpoint for a retry: the balancer's pick unless it was tried already, then the next
   * serving endpoint not yet tried; a tried one only when every serving endpoint was.
   */
  public Endpoint pickOther(int loop, Exchange exchange, List<Endpoint> tried) {
    Endpoint picked = pick(loop, exchange);
    if (picked == null || !contains(tried, picked)) {
      return picked;
    }
    int start = Math.floorMod(tried.size() * 31 + picked.hashCode(), serving.length);
    for (int i = 0; i < serving.length; i++) {
      Endpoint candidate = serving[(start + i) % serving.length];
      if (!contains(tried, candidate)) {
        return candidate;
      }
    }
    return picked;
  }

  private static boolean contains(List<Endpoint> tried, Endpoint endpoint) {
    for (int i = 0; i < tried.size(); i++) {
      Endpoint t = tried.get(i);
      if (t.port() == endpoint.port() && t.host().equals(endpoint.host())) {
        return true;
      }
    }
    return false;
  }

  /** The balancer of event loop {@code loop}, or {@code null} when none serves. */
  public Balancer balancer(int loop) {
    return balancers == null ? null : balancers[loop];
  }

  /** The shared state of a serving endpoint this set picked, or {@code null} when untracked. */
  public EndpointState state(Endpoint picked) {
    return states == null ? null : states.get(picked);
  }

  /** Every endpoint, serving or not. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** How many endpoints take new requests. */
  public int servingCount() {
    return serving.length;
  }
}
