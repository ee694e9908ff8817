package io.portico.route.split;

import io.portico.balance.SmoothWeights;
import io.portico.route.RouteRequest;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the requests of one route go: the first matching canary rule's target, else one of the
 * weighted targets. Weighted picks are nginx's smooth weighted round-robin, with one state per event
 * loop: weights 90 and 10 give {@code a a a a a b a a a a} and so on, so every run of requests on a
 * loop follows the weights to within one request per cycle, with no randomness to drift. Shared by
 * the event loops; each loop touches only its own state.
 *
 * @param <T> what a request goes to (an upstream)
 */
public final class TrafficSplit<T> {
  /** One weighted target of {@code routes[].split}. */
  public record Weighted<T>(T target, int weight) {
    public Weighted {
      if (weight < 1) {
        throw new IllegalArgumentException("weight must be at least 1, got " + weight);
      }
    }
  }

  private final Object[] canaryRules;
  private final Object[] targets;
  private final long[] weights;
  private final long total;
  private final SmoothWeights[] sequences;

  /**
   * @param split the weighted targets, at least one
   * @param canaries tried in order before the split
   * @param loops event loops that call {@link #choose}
   */
  public TrafficSplit(List<Weighted<T>> split, List<CanaryRule<T>> canaries, int loops) {
    if (split.isEmpty()) {
      throw new IllegalArgumentException("a split needs at least one target");
    }
    this.canaryRules = canaries.toArray();
    this.targets = new Object[split.size()];
    this.weights = new long[split.size()];
    long sum = 0;
    for (int i = 0; i < targets.length; i++) {
      targets[i] = split.get(i).target();
      weights[i] = split.get(i).weight();
      sum += weights[i];
    }
    this.total = sum;
    this.sequences = new SmoothWeights[Math.max(loops, 1)];
    for (int i = 0; i < sequences.length; i++) {
      sequences[i] = new SmoothWeights(weights);
    }
  }

  /** The target of requests no canary rule takes, when it is the only one; else the first weighted one. */
  @SuppressWarnings("unchecked")
  public T first() {
    return (T) targets[0];
  }

  /**
   * The target of {@code request}, picked on event loop {@code loop}. Call once per exchange: a
   * weighted pick advances the loop's sequence. A loop outside {@code 0..loops-1} (a caller that is
   * not an event loop of the gateway) gets a random weighted pick.
   */
  @SuppressWarnings("unchecked")
  public T choose(int loop, RouteRequest request) {
    for (Object rule : canaryRules) {
      CanaryRule<T> canary = (CanaryRule<T>) rule;
      if (canary.matches(request)) {
        return canary.target();
      }
    }
    if (targets.length == 1) {
      return (T) targets[0];
    }
    return (T) targets[loop >= 0 && loop < sequences.length ? sequences[loop].next() : random()];
  }

  private int random() {
    long point = ThreadLocalRandom.current().nextLong(total);
    for (int i = 0; i < weights.length; i++) {
      point -= weights[i];
      if (point < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Whether a request can go elsewhere than {@link #first()}. */
  public boolean splits() {
    return targets.length > 1 || canaryRules.length > 0;
  }
}
