package io.portico.plugins.ratelimit;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.util.List;

/**
 * {@code rate-limit}: token buckets per key (route, client IP, header, consumer, claim), in this
 * process or shared by every replica through Redis, with IETF {@code RateLimit-*} headers and a
 * shadow mode. Runs in {@link Stage#TRAFFIC}, after authentication has set the consumer.
 */
public final class RateLimitPluginFactory implements PluginFactory<RateLimitConfig> {

  @Override
  public String name() {
    return "rate-limit";
  }

  @Override
  public Stage stage() {
    return Stage.TRAFFIC;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Class<RateLimitConfig> configType() {
    return RateLimitConfig.class;
  }

  @Override
  public void validate(RateLimitConfig config, ConfigErrors errors) {
    try {
      RequestKey.parse(config.key());
    } catch (IllegalArgumentException e) {
      errors.add("key", e.getMessage());
    }
    checkLimits("limits", config.limits(), errors);
    config.overrides().forEach((consumer, limits) -> checkLimits("overrides." + consumer, limits, errors));
    if (config.localShare() <= 0 || config.localShare() > 1) {
      errors.add("local-share", "must be more than 0 and at most 1");
    }
    if (config.maxKeys() < 1) {
      errors.add("max-keys", "must be at least 1");
    }
    if (config.store() == RateLimitConfig.Store.REDIS) {
      checkRedis(config.redis(), errors);
    } else if (config.redis() != null) {
      errors.add("redis", "is only used with store: redis");
    }
  }

  private static void checkLimits(String field, List<RateLimitConfig.Limit> limits, ConfigErrors errors) {
    if (limits.isEmpty()) {
      errors.add(field, "give at least one limit, e.g. [{ capacity: 100, per: 1s }]");
      return;
    }
    try {
      Limits.of("check", limits, null, 1.0);
    } catch (IllegalArgumentException e) {
      errors.add(field, "not a usable limit: " + e.getMessage());
    }
  }

  private static void checkRedis(RateLimitConfig.Redis redis, ConfigErrors errors) {
    if (redis == null || redis.uri() == null) {
      errors.add("redis.uri", "is required with store: redis (e.g. redis://127.0.0.1:6379)");
      return;
    }
    if (!redis.uri().startsWith("redis://") && !redis.uri().startsWith("rediss://")) {
      errors.add("redis.uri", "must start with redis:// or rediss:// (TLS)");
    } else {
      try {
        RedisAddress.uri(redis, name -> null);
      } catch (IllegalArgumentException e) {
        errors.add("redis.uri", "cannot be parsed: " + e.getMessage());
      }
    }
    if (redis.timeout().toMillis() < 1) {
      errors.add("redis.timeout", "must be at least 1ms");
    }
  }

  @Override
  public Plugin create(RateLimitConfig config, PluginContext context) {
    return new RateLimitPlugin(config, context, System::getenv);
  }
}
