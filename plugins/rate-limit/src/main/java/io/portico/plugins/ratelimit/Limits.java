package io.portico.plugins.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The bandwidths that apply to one group of requests (everyone, or one consumer with an override),
 * compiled once into what the hot path needs.
 *
 * @param configuration the Bucket4j configuration of each bucket
 * @param limitHeader the {@code RateLimit-Limit} value: the first limit's capacity
 * @param bucketPrefix put before the request key, so an overridden consumer gets a bucket of its
 *     own; empty for the default limits
 * @param storeKeyPrefix the start of the Redis key: a fingerprint of the limits, so a changed limit
 *     starts a fresh shared bucket instead of running on the old configuration stored in Redis
 * @param idleExpiry how long a bucket may stay untouched before it is forgotten: by then it is
 *     full again, so forgetting it changes nothing
 */
record Limits(BucketConfiguration configuration, String limitHeader, String bucketPrefix, byte[] storeKeyPrefix,
    Duration idleExpiry) {

  /** {@code limits} scaled by {@code share} (at least one token each). */
  static Limits of(String route, List<RateLimitConfig.Limit> limits, String consumer, double share) {
    ConfigurationBuilder builder = BucketConfiguration.builder();
    StringBuilder fingerprint = new StringBuilder();
    Duration longest = Duration.ofSeconds(1);
    for (RateLimitConfig.Limit limit : limits) {
      long capacity = Math.max(1, Math.round(limit.capacity() * share));
      builder.addLimit(limit.refill() == RateLimitConfig.Refill.INTERVAL
          ? Bandwidth.builder().capacity(capacity).refillIntervally(capacity, limit.per()).build()
          : Bandwidth.builder().capacity(capacity).refillGreedy(capacity, limit.per()).build());
      fingerprint.append(capacity).append('/').append(limit.per().toMillis()).append(limit.refill()).append(';');
      longest = limit.per().compareTo(longest) > 0 ? limit.per() : longest;
    }
    String prefix = consumer == null ? "" : "~" + consumer.length() + ":" + consumer + "|";
    String storeKey = "portico:rate-limit:" + route + ":" + Integer.toHexString(fingerprint.toString().hashCode()) + ":";
    long first = Math.max(1, Math.round(limits.get(0).capacity() * share));
    return new Limits(builder.build(), Long.toString(first), prefix, storeKey.getBytes(StandardCharsets.UTF_8), longest);
  }

  /** The key of this group's bucket for a request key. */
  String bucketKey(String requestKey) {
    return bucketPrefix.isEmpty() ? requestKey : bucketPrefix + requestKey;
  }

  /** The Redis key of a bucket. */
  byte[] storeKey(String bucketKey) {
    byte[] key = bucketKey.getBytes(StandardCharsets.UTF_8);
    byte[] full = new byte[storeKeyPrefix.length + key.length];
    System.arraycopy(storeKeyPrefix, 0, full, 0, storeKeyPrefix.length);
    System.arraycopy(key, 0, full, storeKeyPrefix.length, key.length);
    return full;
  }
}
