package io.portico.balance;

import io.portico.spi.Endpoint;
import java.util.List;

/**
 * Builds {@link ConsistentHashBalancer}s for one upstream. The ring depends only on the endpoint
 * list, and every event loop asks for a balancer over the same list, so the last ring built is
 * kept and reused while the list is equal: one build per list, not one per loop. Thread-safe: a
 * race at worst builds the same ring twice.
 */
final class ConsistentHashFactory implements BalancerFactory {
  private final HashKey key;
  private volatile Built last;

  private record Built(List<Endpoint> endpoints, HashRing ring) {}

  /** @param key where requests' keys come from; {@code null} sends every request to a random endpoint */
  ConsistentHashFactory(HashKey key) {
    this.key = key;
  }

  @Override
  public Balancer create(List<Endpoint> endpoints, Balancer previous) {
    return new ConsistentHashBalancer(ring(endpoints), key);
  }

  HashRing ring(List<Endpoint> endpoints) {
    Built built = last;
    if (built == null || built.endpoints != endpoints && !built.endpoints.equals(endpoints)) {
      built = new Built(List.copyOf(endpoints), HashRing.build(endpoints));
      last = built;
    }
    return built.ring;
  }
}
