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
  private final int[] weights;
  private final int[] current;
  private final int total;

  public SmoothWeightedBalancer(List<Endpoint> endpoints) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
    this.weights = new int[this.endpoints.length];
    this.current = new int[this.endpoints.length];
    int sum = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = this.endpoints[i].weight();
      sum += weights[i];
    }
    this.total = sum;
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    int best = 0;
    for (int i = 0; i < current.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return endpoints[best];
  }
}
