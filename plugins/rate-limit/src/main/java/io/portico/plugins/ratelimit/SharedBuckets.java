package io.portico.plugins.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets in Redis, shared by every replica, taken asynchronously: the Lettuce answer hops back to
 * the exchange's event loop. While Redis fails, {@code on-store-failure} decides, and Redis is
 * tried again at most once a second; the first success goes back to shared limiting.
 */
final class SharedBuckets {
  private static final Logger log = LoggerFactory.getLogger(SharedBuckets.class);
  private static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

  private final String route;
  private final RedisStore store;
  private final LimitPolicy policy;
  private final RateLimitConfig.OnStoreFailure onFailure;
  private final LocalBuckets fallback;
  private final Counter failures;
  private final AtomicBoolean degraded = new AtomicBoolean();
  // one proxy per key, kept: batching merges concurrent requests for a key into one Redis
  // compare-and-swap, and its state lives in the proxy
  private final Cache<String, AsyncBucketProxy> proxies;
  private volatile long retryAt;

  SharedBuckets(String route, RedisStore store, LimitPolicy policy, RateLimitConfig.OnStoreFailure onFailure,
      LocalBuckets fallback, Counter failures, int maxKeys) {
    this.route = route;
    this.store = store;
    this.policy = policy;
    this.onFailure = onFailure;
    this.fallback = fallback;
    this.failures = failures;
    this.proxies = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(policy.idleExpiry()).build();
  }

  /**
   * The verdict for one request. While the store is down: a local verdict, {@code null} (allow,
   * no headers) or {@link RateLimitPlugin#STORE_DOWN} (deny), per {@code on-store-failure}.
   */
  Future<Verdict> take(String key, String consumer, Context context) {
    AsyncProxyManager<byte[]> proxy = store.proxy();
    if (proxy == null || (degraded.get() && System.nanoTime() < retryAt)) {
      return Future.succeededFuture(whileDown(key, consumer));
    }
    AsyncBucketProxy bucket = proxies.get(key, k -> proxy.builder()
        .withOptimization(Optimizations.batching())
        .build(("portico:ratelimit:" + route + ":" + k).getBytes(StandardCharsets.UTF_8), policy.configurationFor(consumer)));
    var probe = bucket.tryConsumeAndReturnRemaining(1);
    return Future.fromCompletionStage(probe, context).transform(ar -> {
      if (ar.succeeded()) {
        if (degraded.compareAndSet(true, false)) {
          log.info("route {}: rate-limit store is back, limits are shared again", route);
        }
        return Future.succeededFuture(Verdict.of(ar.result(), policy.limitFor(consumer)));
      }
      failures.increment();
      retryAt = System.nanoTime() + PROBE_INTERVAL_NANOS;
      if (degraded.compareAndSet(false, true)) {
        log.warn("route {}: rate-limit store failed ({}); applying on-store-failure: {}", route,
            ar.cause().getMessage(), onFailure.name().toLowerCase(java.util.Locale.ROOT));
      }
      return Future.succeededFuture(whileDown(key, consumer));
    });
  }

  private Verdict whileDown(String key, String consumer) {
    return switch (onFailure) {
      case LOCAL -> fallback.take(key, consumer);
      case ALLOW -> null;
      case DENY -> RateLimitPlugin.STORE_DOWN;
    };
  }

  boolean degraded() {
    return degraded.get() || store.proxy() == null;
  }
}
