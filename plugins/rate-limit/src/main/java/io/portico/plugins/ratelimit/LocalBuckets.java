package io.portico.plugins.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;

/**
 * Buckets in this process, one per key, in a bounded cache: a flood of distinct keys evicts the
 * least recently used ones instead of exhausting memory, and idle buckets (full again anyway)
 * expire. Bucket4j's local buckets are lock-free and safe across event loops.
 */
final class LocalBuckets {
  private final Cache<String, Bucket> buckets;
  private final LimitPolicy policy;

  LocalBuckets(LimitPolicy policy, int maxKeys, Duration idleExpiry) {
    this.policy = policy;
    this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleExpiry).build();
  }

  Verdict take(String key, String consumer) {
    Bucket bucket = buckets.get(key, k -> newBucket(policy.configurationFor(consumer)));
    return Verdict.of(bucket.tryConsumeAndReturnRemaining(1), policy.limitFor(consumer));
  }

  private static Bucket newBucket(BucketConfiguration configuration) {
    LocalBucketBuilder builder = Bucket.builder();
    for (Bandwidth bandwidth : configuration.getBandwidths()) {
      builder.addLimit(bandwidth);
    }
    return builder.build();
  }

  long size() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
