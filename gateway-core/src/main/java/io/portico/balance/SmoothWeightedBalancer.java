package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.List;

/**
 * Weighted round-robin that interleaves (nginx's smooth weighted round-robin): weights 5, 1, 1 give
 * {@code a a b a c a a} rather than five {@code a} in a row. Each pick adds every endpoint's weight
 * to its current score, takes the highest score and subtracts the total from it.
 */
public final class SmoothWeightedBalancer implements Balancer {
  private final Endpoint[] endpoints;
  private final SmoothWeights sequence;

  public SmoothWeightedBalancer(List<Endpoint> endpoints) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
    long[] weights = new long[this.endpoints.length];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = this.endpoints[i].weight();
    }
    this.sequence = new SmoothWeights(weights);
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    return endpoints[sequence.next()];
  }
}
