package io.portico.plugins.ratelimit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits of one route, built once: the default limits and each consumer's override, all
 * scaled by one share (1 normally; a replica's share of the limit while the shared store is away).
 */
final class LimitPolicy {
  private final Limits defaults;
  private final Map<String, Limits> overrides;
  private final Duration idleExpiry;

  /**
   * @throws IllegalArgumentException when Bucket4j refuses a limit (more than one token per
   *     nanosecond)
   */
  LimitPolicy(String route, RateLimitConfig config, double share) {
    this.defaults = Limits.of(route, config.limits(), null, share);
    Map<String, Limits> byConsumer = new HashMap<>();
    Duration longest = defaults.idleExpiry();
    for (Map.Entry<String, List<RateLimitConfig.Limit>> override : config.overrides().entrySet()) {
      Limits limits = Limits.of(route, override.getValue(), override.getKey(), share);
      byConsumer.put(override.getKey(), limits);
      longest = limits.idleExpiry().compareTo(longest) > 0 ? limits.idleExpiry() : longest;
    }
    this.overrides = Map.copyOf(byConsumer);
    this.idleExpiry = longest;
  }

  /** The limits for a request of {@code consumer} (which may be {@code null}). */
  Limits limitsFor(String consumer) {
    if (consumer == null || overrides.isEmpty()) {
      return defaults;
    }
    Limits override = overrides.get(consumer);
    return override != null ? override : defaults;
  }

  /** How long any bucket of this route may stay idle before it is full again. */
  Duration idleExpiry() {
    return idleExpiry;
  }
}
