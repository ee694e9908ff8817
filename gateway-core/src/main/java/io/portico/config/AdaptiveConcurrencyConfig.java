package io.portico.config;

import java.time.Duration;
import java.util.Set;

/**
 * {@code upstreams[].adaptive-concurrency:} how many tries the upstream gets at once, learned from
 * the latency of its answers (Netflix concurrency-limits). The limits are the upstream's; each
 * event loop holds its share of them.
 *
 * @param algorithm {@code gradient2} (default), {@code vegas} or {@code aimd}
 * @param initialLimit the limit before anything was learned, default 20
 * @param minLimit the limit never goes below this, default 4 ({@code vegas} has no minimum)
 * @param maxLimit the limit never goes above this, default 1000
 * @param queue requests beyond the limit wait here; size 0 (default) refuses them at once
 */
public record AdaptiveConcurrencyConfig(String algorithm, Integer initialLimit, Integer minLimit, Integer maxLimit,
    Queue queue) {
  static final Set<String> ALGORITHMS = Set.of("gradient2", "vegas", "aimd");

  public AdaptiveConcurrencyConfig {
    algorithm = algorithm != null ? algorithm : "gradient2";
    initialLimit = initialLimit != null ? initialLimit : 20;
    minLimit = minLimit != null ? minLimit : 4;
    maxLimit = maxLimit != null ? maxLimit : 1000;
    queue = queue != null ? queue : new Queue(null, null);
    if (!ALGORITHMS.contains(algorithm)) {
      throw new IllegalArgumentException("algorithm must be gradient2, vegas or aimd, not \"" + algorithm + "\"");
    }
    if (minLimit < 1 || minLimit > maxLimit || initialLimit < minLimit || initialLimit > maxLimit) {
      throw new IllegalArgumentException("limits must satisfy 1 <= min-limit <= initial-limit <= max-limit");
    }
  }

  /**
   * {@code queue:} requests waiting for room under the limit.
   *
   * @param size waiting requests at most (per upstream), default 0: none wait
   * @param timeout how long one waits before it is refused, default 50ms
   */
  public record Queue(Integer size, Duration timeout) {
    public Queue {
      size = size != null ? size : 0;
      timeout = timeout != null ? timeout : Duration.ofMillis(50);
      if (size < 0) {
        throw new IllegalArgumentException("size must not be negative");
      }
    }
  }
}
