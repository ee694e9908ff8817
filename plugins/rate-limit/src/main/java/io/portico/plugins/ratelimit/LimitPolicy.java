package io.portico.plugins.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bucket configurations of one route, built once: the default limits, each consumer's
 * override, and the same scaled down to a replica's share for when the shared store is away.
 */
final class LimitPolicy {
  private final BucketConfiguration defaults;
  private final Map<String, BucketConfiguration> overrides = new HashMap<>();
  private final long defaultLimit;
  private final Map<String, Long> overrideLimits = new HashMap<>();
  private final Duration longestPeriod;

  LimitPolicy(List<RateLimitConfig.Limit> limits, Map<String, List<RateLimitConfig.Limit>> byConsumer, double share) {
    this.defaults = configuration(limits, share);
    this.defaultLimit = scaled(limits.get(0).capacity(), share);
    Duration longest = longest(limits);
    for (Map.Entry<String, List<RateLimitConfig.Limit>> override : byConsumer.entrySet()) {
      overrides.put(override.getKey(), configuration(override.getValue(), share));
      overrideLimits.put(override.getKey(), scaled(override.getValue().get(0).capacity(), share));
      Duration l = longest(override.getValue());
      longest = l.compareTo(longest) > 0 ? l : longest;
    }
    this.longestPeriod = longest;
  }

  BucketConfiguration configurationFor(String consumer) {
    BucketConfiguration override = consumer == null ? null : overrides.get(consumer);
    return override != null ? override : defaults;
  }

  long limitFor(String consumer) {
    Long override = consumer == null ? null : overrideLimits.get(consumer);
    return override != null ? override : defaultLimit;
  }

  /** A bucket untouched this long is full again, so it can be forgotten. */
  Duration idleExpiry() {
    return longestPeriod.multipliedBy(2);
  }

  private static BucketConfiguration configuration(List<RateLimitConfig.Limit> limits, double share) {
    ConfigurationBuilder builder = BucketConfiguration.builder();
    for (RateLimitConfig.Limit limit : limits) {
      long capacity = scaled(limit.capacity(), share);
      builder.addLimit(limit.refill() == RateLimitConfig.Refill.INTERVAL
          ? Bandwidth.builder().capacity(capacity).refillIntervally(capacity, limit.per()).build()
          : Bandwidth.builder().capacity(capacity).refillGreedy(capacity, limit.per()).build());
    }
    return builder.build();
  }

  private static long scaled(long capacity, double share) {
    return Math.max(1, Math.round(capacity * share));
  }

  private static Duration longest(List<RateLimitConfig.Limit> limits) {
    return limits.stream().map(RateLimitConfig.Limit::per).max(Duration::compareTo).orElseThrow();
  }
}
