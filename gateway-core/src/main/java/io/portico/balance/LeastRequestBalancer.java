package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The less loaded of two endpoints drawn at random ("power of two choices"), load being the tries in
 * progress on this event loop divided by the endpoint's weight, as Envoy's least-request does.
 *
 * <p>The two candidates are drawn in proportion to weight, and a tie keeps the first: with no load
 * the traffic follows the weights (uniform when they are equal), and under load the endpoint with
 * the fewer tries per unit of weight wins, which pulls the shares back towards the weights. With
 * equal weights the two candidates are always distinct.
 *
 * <p>The counters are shared with the balancer that replaces this one (see {@link #LeastRequestBalancer(List,
 * Balancer)}), so a try that started before the list changed is counted down whichever of the two
 * balancers hears of its end.
 */
public final class LeastRequestBalancer implements Balancer {
  private final Endpoint[] endpoints;
  private final int[] weights;
  private final ActiveTries[] active;
  private final EndpointIndex index;
  private final WeightedSampler sampler;

  /** Tries in progress on one endpoint, on one event loop. */
  static final class ActiveTries {
    int count;
  }

  /**
   * @param previous the balancer this one replaces, or {@code null}: endpoints still present (same
   *     host and port) keep their counters
   */
  public LeastRequestBalancer(List<Endpoint> endpoints, Balancer previous) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
    this.weights = new int[this.endpoints.length];
    this.active = new ActiveTries[this.endpoints.length];
    this.index = new EndpointIndex(this.endpoints);
    this.sampler = new WeightedSampler(this.endpoints);
    LeastRequestBalancer before = previous instanceof LeastRequestBalancer b ? b : null;
    int[] old = before == null ? null : before.index.positionsOf(this.endpoints);
    for (int i = 0; i < this.endpoints.length; i++) {
      weights[i] = this.endpoints[i].weight();
      active[i] = old != null && old[i] >= 0 ? before.active[old[i]] : new ActiveTries();
    }
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    int n = endpoints.length;
    if (n == 1) {
      return endpoints[0];
    }
    int first;
    int second;
    if (sampler.uniform()) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      first = random.nextInt(n);
      second = random.nextInt(n - 1);
      if (second >= first) {
        second++;
      }
    } else {
      first = sampler.next();
      second = sampler.next();
      if (second == first) {
        second = sampler.next(); // one more draw; a heavy endpoint may still face itself
      }
    }
    // active[second] / weights[second] < active[first] / weights[first], without division
    long secondLoad = (long) active[second].count * weights[first];
    long firstLoad = (long) active[first].count * weights[second];
    return endpoints[secondLoad < firstLoad ? second : first];
  }

  @Override
  public void started(Endpoint endpoint) {
    int i = index.of(endpoint);
    if (i >= 0) {
      active[i].count++;
    }
  }

  @Override
  public void finished(Endpoint endpoint, long nanos, boolean failed) {
    int i = index.of(endpoint);
    if (i >= 0 && active[i].count > 0) {
      active[i].count--;
    }
  }

  /** Tries in progress on {@code endpoint} as this balancer counts them (for tests and the admin view). */
  int active(Endpoint endpoint) {
    int i = index.of(endpoint);
    return i < 0 ? 0 : active[i].count;
  }
}
