package io.portico.plugins.ratelimit;

import java.util.function.IntSupplier;

/**
 * Local buckets holding this replica's share of each limit, for {@code on-store-failure: local}:
 * the limit divided by the number of live replicas when the gateway knows it, else the limit times
 * {@code local-share}. The replica count is read on each use; when it changes the buckets are
 * rebuilt at the new share. Nothing is allocated until the store first fails.
 */
final class FallbackBuckets {
  private final String route;
  private final RateLimitConfig config;
  private final IntSupplier replicas;
  private volatile Share current;

  private record Share(int replicas, LimitPolicy policy, LocalBuckets buckets) {}

  FallbackBuckets(String route, RateLimitConfig config, IntSupplier replicas) {
    this.route = route;
    this.config = config;
    this.replicas = replicas;
  }

  /** Takes one token from this replica's share of the bucket. */
  Verdict take(String requestKey, String consumer) {
    int count = Math.max(1, replicas.getAsInt());
    Share share = current;
    if (share == null || share.replicas() != count) {
      // racing loops may each build one; the last wins and the others' few tokens are forgotten
      LimitPolicy policy = new LimitPolicy(route, config, shareOf(count));
      share = new Share(count, policy, new LocalBuckets(config.maxKeys(), policy.idleExpiry()));
      current = share;
    }
    Limits limits = share.policy().limitsFor(consumer);
    return share.buckets().take(limits.bucketKey(requestKey), limits);
  }

  /** The fraction of each limit this replica enforces alone. */
  double shareOf(int replicaCount) {
    return replicaCount > 1 ? 1.0 / replicaCount : config.localShare();
  }
}
