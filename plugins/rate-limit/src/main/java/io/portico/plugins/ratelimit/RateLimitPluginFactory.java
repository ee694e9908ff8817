package io.portico.plugins.ratelimit;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;

/**
 * {@code rate-limit}: token buckets per key (route, client IP, header, consumer), in this process
 * or shared through Redis, with IETF {@code RateLimit-*} headers and a shadow mode.
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
    if (config.limits().isEmpty()) {
      errors.add("limits", "give at least one limit, e.g. [{ capacity: 100, per: 1s }]");
    }
    try {
      RequestKey.parse(config.key());
    } catch (IllegalArgumentException e) {
      errors.add("key", e.getMessage());
    }
    config.overrides().forEach((consumer, limits) -> {
      if (limits.isEmpty()) {
        errors.add("overrides." + consumer, "give at least one limit");
      }
    });
    if (config.store() == RateLimitConfig.Store.REDIS) {
      if (config.redis() == null || config.redis().uri() == null) {
        errors.add("redis.uri", "is required with store: redis (e.g. redis://127.0.0.1:6379)");
      } else if (!config.redis().uri().startsWith("redis://") && !config.redis().uri().startsWith("rediss://")) {
        errors.add("redis.uri", "must start with redis:// or rediss://");
      }
    }
    if (config.localShare() <= 0 || config.localShare() > 1) {
      errors.add("local-share", "must be in (0, 1]");
    }
    if (config.maxKeys() < 1) {
      errors.add("max-keys", "must be at least 1");
    }
  }

  @Override
  public Plugin create(RateLimitConfig config, PluginContext context) {
    return new RateLimitPlugin(config, context);
  }
}
