package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;

/**
 * Sends requests with the same key (a header, cookie, query parameter, the client's address or the
 * path; see {@link HashKey}) to the same endpoint for as long as it serves, through a {@link
 * HashRing}. A request without the key goes to a random endpoint, in proportion to weight.
 */
public final class ConsistentHashBalancer implements Balancer {
  private final HashRing ring;
  private final HashKey key;

  ConsistentHashBalancer(HashRing ring, HashKey key) {
    this.ring = ring;
    this.key = key;
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    long hash = key == null || exchange == null ? HashKey.NONE : key.hash(exchange);
    return hash == HashKey.NONE ? ring.random() : ring.lookup(hash);
  }
}
