package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds an endpoint's position in a balancer's list. {@link Balancer#started} and
 * {@link Balancer#finished} normally receive the very instance {@link Balancer#pick} returned, so
 * the lookup is by identity in an open-addressing table; an equal endpoint from another list (a
 * try that began before the list changed) is found by host and port.
 */
final class EndpointIndex {
  private final Endpoint[] endpoints;
  private final Endpoint[] slots;
  private final int[] positions;
  private final int mask;

  EndpointIndex(Endpoint[] endpoints) {
    this.endpoints = endpoints;
    int capacity = Integer.highestOneBit(Math.max(2, endpoints.length) * 2 - 1) << 1; // load factor <= 1/2
    this.slots = new Endpoint[capacity];
    this.positions = new int[capacity];
    this.mask = capacity - 1;
    for (int i = 0; i < endpoints.length; i++) {
      int slot = spread(endpoints[i]) & mask;
      while (slots[slot] != null) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = endpoints[i];
      positions[slot] = i;
    }
  }

  /** The position of {@code endpoint}, or -1 when no endpoint of this list has its host and port. */
  int of(Endpoint endpoint) {
    for (int slot = spread(endpoint) & mask; ; slot = (slot + 1) & mask) {
      Endpoint candidate = slots[slot];
      if (candidate == null) {
        return endpoint == null ? -1 : byAddress(endpoint.host(), endpoint.port());
      }
      if (candidate == endpoint) {
        return positions[slot];
      }
    }
  }

  /** The position of the endpoint at {@code host}:{@code port}, or -1. */
  int byAddress(String host, int port) {
    for (int i = 0; i < endpoints.length; i++) {
      if (endpoints[i].port() == port && endpoints[i].host().equals(host)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * For each of {@code others}, the position of the endpoint with the same host and port in this
   * list, or -1. Used when a new list replaces this one, so linear in both lists.
   */
  int[] positionsOf(Endpoint[] others) {
    Map<Address, Integer> byAddress = new HashMap<>(endpoints.length * 2);
    for (int i = 0; i < endpoints.length; i++) {
      byAddress.put(new Address(endpoints[i].host(), endpoints[i].port()), i);
    }
    int[] positions = new int[others.length];
    for (int i = 0; i < others.length; i++) {
      Integer found = byAddress.get(new Address(others[i].host(), others[i].port()));
      positions[i] = found == null ? -1 : found;
    }
    return positions;
  }

  private record Address(String host, int port) {}

  private static int spread(Endpoint endpoint) {
    int h = System.identityHashCode(endpoint);
    return h ^ (h >>> 16);
  }
}
