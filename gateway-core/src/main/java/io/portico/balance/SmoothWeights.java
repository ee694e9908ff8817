package io.portico.balance;

/**
 * nginx's smooth weighted round-robin over indexes: each step adds every weight to its current
 * score, takes the highest score and subtracts the total from it, so weights 5, 1, 1 give
 * {@code 0 0 1 0 2 0 0} rather than five {@code 0} in a row. One instance per event loop: plain
 * fields, no locks.
 */
public final class SmoothWeights {
  private final long[] weights;
  private final long[] current;
  private final long total;

  /** @param weights at least one, each at least 1 */
  public SmoothWeights(long[] weights) {
    this.weights = weights.clone();
    this.current = new long[weights.length];
    long sum = 0;
    for (long weight : weights) {
      sum += weight;
    }
    this.total = sum;
  }

  /** The index of the next pick. */
  public int next() {
    int best = 0;
    for (int i = 0; i < current.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }
}
