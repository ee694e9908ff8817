package io.portico.plugins.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes a token per request from the caller's bucket, locally or in Redis, and answers 429 when empty. */
final class RateLimitPlugin implements Plugin {
  private static final Logger log = LoggerFactory.getLogger(RateLimitPlugin.class);
  /** The verdict while the shared store is down and {@code on-store-failure: deny}. */
  static final Verdict STORE_DOWN = new Verdict(false, 0, 0, 0, 1);
  private static final Reply UNAVAILABLE = Reply.error(503, "rate_limit_unavailable", "rate limits cannot be checked right now")
      .withHeader("Retry-After", "1");
  private static final long SHADOW_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final RateLimitConfig config;
  private final Function<Exchange, String> key;
  private final LocalBuckets local;
  private final SharedBuckets shared;
  private final RedisStore redis;
  private final Counter allowed;
  private final Counter rejected;
  private final Counter shadowRejected;
  private volatile long nextShadowLog;

  RateLimitPlugin(RateLimitConfig config, PluginContext context) {
    this.config = config;
    this.key = RequestKey.parse(config.key());
    LimitPolicy policy = new LimitPolicy(config.limits(), config.overrides(), 1.0);
    MeterRegistry meters = context.meterRegistry();
    String route = context.routeName();
    this.allowed = Counter.builder("portico.ratelimit.allowed").description("requests the rate limit let through").tag("route", route).register(meters);
    this.rejected = Counter.builder("portico.ratelimit.rejected").description("requests the rate limit rejected").tag("route", route).register(meters);
    this.shadowRejected = Counter.builder("portico.ratelimit.shadow.rejected").description("requests a shadow rate limit would have rejected").tag("route", route).register(meters);
    if (config.store() == RateLimitConfig.Store.REDIS) {
      int replicas = context.replicas();
      double share = replicas > 1 ? 1.0 / replicas : config.localShare();
      LimitPolicy fallbackPolicy = new LimitPolicy(config.limits(), config.overrides(), share);
      this.redis = RedisStore.acquire(config.redis(), policy.idleExpiry());
      this.local = null;
      this.shared = new SharedBuckets(route, redis, policy, config.onStoreFailure(),
          new LocalBuckets(fallbackPolicy, config.maxKeys(), policy.idleExpiry()),
          Counter.builder("portico.ratelimit.store.failures").description("failed operations on the shared rate-limit store").tag("route", route).register(meters), config.maxKeys());
    } else {
      this.redis = null;
      this.shared = null;
      this.local = new LocalBuckets(policy, config.maxKeys(), policy.idleExpiry());
    }
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    String bucket = key.apply(exchange);
    String consumer = exchange.consumer();
    if (local != null) {
      return Future.succeededFuture(decide(exchange, local.take(bucket, consumer)));
    }
    return shared.take(bucket, consumer, exchange.context()).map(verdict -> decide(exchange, verdict));
  }

  private Decision decide(Exchange exchange, Verdict verdict) {
    if (verdict == null) {
      allowed.increment();
      return Decision.next();
    }
    if (verdict == STORE_DOWN) {
      rejected.increment();
      return UNAVAILABLE;
    }
    if (verdict.allowed()) {
      allowed.increment();
      if (config.headers()) {
        addHeaders(exchange.additionalResponseHeaders(), verdict);
      }
      return Decision.next();
    }
    if (config.mode() == RateLimitConfig.Mode.SHADOW) {
      shadowRejected.increment();
      logShadow(exchange);
      return Decision.next();
    }
    rejected.increment();
    Reply reply = Reply.error(429, "rate_limited", "rate limit exceeded")
        .withHeader("Retry-After", Long.toString(verdict.retryAfterSeconds()));
    if (config.headers()) {
      reply = reply
          .withHeader("RateLimit-Limit", Long.toString(verdict.limit()))
          .withHeader("RateLimit-Remaining", "0")
          .withHeader("RateLimit-Reset", Long.toString(Math.max(verdict.retryAfterSeconds(), verdict.resetSeconds())));
    }
    return reply;
  }

  private static void addHeaders(MultiMap headers, Verdict verdict) {
    headers.set("RateLimit-Limit", Long.toString(verdict.limit()));
    headers.set("RateLimit-Remaining", Long.toString(verdict.remaining()));
    headers.set("RateLimit-Reset", Long.toString(verdict.resetSeconds()));
  }

  /** At most one line per interval: shadow mode must not flood the log under a real overload. */
  private void logShadow(Exchange exchange) {
    long now = System.nanoTime();
    if (now >= nextShadowLog) {
      nextShadowLog = now + SHADOW_LOG_INTERVAL_NANOS;
      log.info("route {}: shadow rate limit would reject requests (e.g. client {}); {} so far",
          exchange.routeName(), exchange.clientIp(), (long) shadowRejected.count());
    }
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("store", config.store().name().toLowerCase(java.util.Locale.ROOT));
    status.put("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT));
    if (shared != null) {
      status.put("store_degraded", shared.degraded());
    } else {
      status.put("keys", local.size());
    }
    return status;
  }

  @Override
  public Future<Void> close() {
    if (redis != null) {
      redis.release();
    }
    return Future.succeededFuture();
  }

  long localKeys() {
    return local.size();
  }
}
