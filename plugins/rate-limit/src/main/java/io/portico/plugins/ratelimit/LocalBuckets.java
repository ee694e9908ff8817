package io.portico.plugins.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Duration;

/**
 * Buckets in this process, one per key, in a bounded cache: a flood of distinct keys evicts
 * buckets instead of exhausting memory, and idle buckets (full again anyway) expire. Bucket4j's
 * local buckets are lock-free and safe to share across event loops.
 */
final class LocalBuckets {
  private final Cache<String, Bucket> buckets;

  LocalBuckets(int maxKeys, Duration idleExpiry) {
    // eviction runs on the calling thread: amortised, lock-free for readers, and no hop to a pool
    this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleExpiry)
        .executor(Runnable::run).build();
  }

  /** Takes one token from the bucket of {@code bucketKey}, creating it with {@code limits}. */
  Verdict take(String bucketKey, Limits limits) {
    Bucket bucket = buckets.getIfPresent(bucketKey);
    if (bucket == null) {
      bucket = buckets.get(bucketKey, k -> newBucket(limits));
    }
    return Verdict.of(bucket.tryConsumeAndReturnRemaining(1), limits);
  }

  private static Bucket newBucket(Limits limits) {
    LocalBucketBuilder builder = Bucket.builder();
    for (var bandwidth : limits.configuration().getBandwidths()) {
      builder.addLimit(bandwidth);
    }
    return builder.build();
  }

  /** Buckets held now; cheap, approximate. */
  long size() {
    return buckets.estimatedSize();
  }

  /** Buckets held after pending evictions ran (for tests and the benchmark). */
  long exactSize() {
    buckets.cleanUp();
    return buckets.estimatedSize();
  }
}
