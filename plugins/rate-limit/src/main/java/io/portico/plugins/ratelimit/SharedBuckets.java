package io.portico.plugins.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Buckets in Redis, shared by every replica, taken asynchronously: Bucket4j's compare-and-swap runs
 * on Lettuce's thread and the answer hops back to the exchange's event loop. While the store
 * fails, {@code on-store-failure} decides ({@link StoreHealth} says when to try it again).
 */
final class SharedBuckets {
  private static final IllegalStateException NOT_CONNECTED = new IllegalStateException("not connected yet");

  private final RedisStore store;
  private final StoreHealth health;
  private final RateLimitConfig.OnStoreFailure onFailure;
  private final FallbackBuckets fallback;
  // one proxy per key, kept: batching merges concurrent requests for a key into one Redis
  // compare-and-swap, and its state lives in the proxy
  private final Cache<String, AsyncBucketProxy> proxies;

  SharedBuckets(RedisStore store, StoreHealth health, RateLimitConfig.OnStoreFailure onFailure,
      FallbackBuckets fallback, int maxKeys, Duration idleExpiry) {
    this.store = store;
    this.health = health;
    this.onFailure = onFailure;
    this.fallback = fallback;
    this.proxies = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idleExpiry)
        .executor(Runnable::run).build();
  }

  /**
   * The verdict for one request, completed on {@code context}.
   *
   * @param requestKey the request's key, before any consumer override prefix
   */
  Future<Verdict> take(String requestKey, String consumer, Limits limits, Context context) {
    int era = health.admit();
    if (era < 0) {
      return Future.succeededFuture(whileDown(requestKey, consumer));
    }
    AsyncProxyManager<byte[]> manager = store.proxy();
    if (manager == null) {
      if (!store.firstAttempt().isDone()) {
        // the gateway takes traffic before warm-up ends: a store still connecting has not failed
        return Future.fromCompletionStage(store.firstAttempt(), context)
            .compose(connected -> take(requestKey, consumer, limits, context));
      }
      health.failed(era, NOT_CONNECTED);
      return Future.succeededFuture(whileDown(requestKey, consumer));
    }
    String bucketKey = limits.bucketKey(requestKey);
    AsyncBucketProxy bucket = proxies.getIfPresent(bucketKey);
    if (bucket == null) {
      bucket = proxies.get(bucketKey, k -> manager.builder().withOptimization(Optimizations.batching())
          .build(limits.storeKey(k), limits.configuration()));
    }
    CompletableFuture<ConsumptionProbe> probe = bucket.tryConsumeAndReturnRemaining(1);
    return Future.fromCompletionStage(probe, context).transform(answer -> {
      if (answer.succeeded()) {
        health.succeeded(era);
        return Future.succeededFuture(Verdict.of(answer.result(), limits));
      }
      health.failed(era, answer.cause());
      return Future.succeededFuture(whileDown(requestKey, consumer));
    });
  }

  private Verdict whileDown(String requestKey, String consumer) {
    return switch (onFailure) {
      case LOCAL -> fallback.take(requestKey, consumer);
      case ALLOW -> Verdict.UNCHECKED_ALLOW;
      case DENY -> Verdict.UNCHECKED_DENY;
    };
  }

  boolean degraded() {
    return health.degraded() || store.proxy() == null;
  }
}
