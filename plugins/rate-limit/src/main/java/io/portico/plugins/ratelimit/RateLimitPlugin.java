package io.portico.plugins.ratelimit;

import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Takes a token per request from the caller's bucket, in this process or in Redis, and answers 429
 * when it is empty (or only counts that, in shadow mode). Shared by all event loops: its state is
 * in thread-safe buckets and caches.
 */
final class RateLimitPlugin implements Plugin {
  private final RateLimitConfig config;
  private final RequestKey key;
  private final LimitPolicy policy;
  private final RateLimitMeters meters;
  private final boolean shadow;
  private final boolean headers;
  private final Vertx vertx;
  private final LocalBuckets local;
  private final SharedBuckets shared;
  private final RedisStore store;
  private final AtomicBoolean closed = new AtomicBoolean();

  RateLimitPlugin(RateLimitConfig config, PluginContext context, UnaryOperator<String> env) {
    String route = context.routeName();
    this.config = config;
    this.key = RequestKey.parse(config.key());
    this.policy = new LimitPolicy(route, config, 1.0);
    this.meters = new RateLimitMeters(context.meterRegistry(), route);
    this.shadow = config.mode() == RateLimitConfig.Mode.SHADOW;
    // a shadow limit must not change what clients see
    this.headers = config.headers() && !shadow;
    this.vertx = context.vertx();
    if (config.store() == RateLimitConfig.Store.REDIS) {
      this.local = null;
      this.store = RedisStores.acquire(vertx, config.redis(), env);
      StoreHealth health = new StoreHealth(route, config.onStoreFailure(), meters.storeFailures());
      this.shared = new SharedBuckets(store, health, config.onStoreFailure(),
          new FallbackBuckets(route, config, context::replicas), config.maxKeys(), policy.idleExpiry());
    } else {
      this.local = new LocalBuckets(config.maxKeys(), policy.idleExpiry());
      this.store = null;
      this.shared = null;
    }
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    String requestKey = key.of(exchange);
    String consumer = exchange.consumer();
    Limits limits = policy.limitsFor(consumer);
    if (local != null) {
      return decide(exchange, local.take(limits.bucketKey(requestKey), limits));
    }
    return shared.take(requestKey, consumer, limits, exchange.context()).compose(verdict -> decide(exchange, verdict));
  }

  private Future<Decision> decide(Exchange exchange, Verdict verdict) {
    return switch (verdict.outcome()) {
      case ALLOWED -> {
        meters.allowed();
        if (headers) {
          RateLimitAnswers.allowed(exchange.additionalResponseHeaders(), verdict);
        }
        yield Decision.next().asFuture();
      }
      case UNCHECKED_ALLOWED -> {
        meters.allowed();
        yield Decision.next().asFuture();
      }
      case REJECTED -> {
        if (shadow) {
          meters.shadowRejected(exchange);
          yield Decision.next().asFuture();
        }
        meters.rejected();
        RateLimitAnswers.rejected(exchange.additionalResponseHeaders(), verdict, headers);
        yield RateLimitAnswers.RATE_LIMITED;
      }
      case UNCHECKED_DENIED -> {
        if (shadow) {
          meters.shadowRejected(exchange);
          yield Decision.next().asFuture();
        }
        meters.rejected();
        yield RateLimitAnswers.UNAVAILABLE;
      }
    };
  }

  /** With Redis: completes (successfully either way) once the first connection attempt is over. */
  @Override
  public Future<Void> warmUp() {
    if (store == null) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(store.firstAttempt(), vertx.getOrCreateContext());
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("store", config.store().name().toLowerCase(Locale.ROOT));
    status.put("mode", config.mode().name().toLowerCase(Locale.ROOT));
    if (shared != null) {
      status.put("store_degraded", shared.degraded());
    } else {
      status.put("keys", local.size());
    }
    return status;
  }

  @Override
  public Future<Void> close() {
    if (store == null || !closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return Future.fromCompletionStage(RedisStores.release(vertx, config.redis()), vertx.getOrCreateContext());
  }

  /** Local buckets held after pending evictions ran; for tests. */
  long localKeys() {
    return local.exactSize();
  }
}
