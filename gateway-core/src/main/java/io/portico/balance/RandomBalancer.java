package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.List;

/** An endpoint drawn at random in proportion to its weight (uniformly when weights are equal). */
public final class RandomBalancer implements Balancer {
  private final Endpoint[] endpoints;
  private final WeightedSampler sampler;

  public RandomBalancer(List<Endpoint> endpoints) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
    this.sampler = new WeightedSampler(this.endpoints);
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    return endpoints[sampler.next()];
  }
}
