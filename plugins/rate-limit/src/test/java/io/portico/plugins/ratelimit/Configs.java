package io.portico.plugins.ratelimit;

import io.portico.plugins.ratelimit.RateLimitConfig.Limit;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds configs the way YAML would bind them, without the noise of ten constructor arguments. */
final class Configs {
  private String key;
  private List<Limit> limits = List.of(new Limit(100L, Duration.ofSeconds(1), null));
  private Map<String, List<Limit>> overrides;
  private Boolean headers;
  private RateLimitConfig.Mode mode;
  private RateLimitConfig.Store store;
  private RateLimitConfig.Redis redis;
  private RateLimitConfig.OnStoreFailure onStoreFailure;
  private Double localShare;
  private Integer maxKeys;

  static Configs limit(long capacity, Duration per) {
    return new Configs().limits(new Limit(capacity, per, null));
  }

  Configs limits(Limit... all) {
    limits = List.of(all);
    return this;
  }

  Configs key(String value) {
    key = value;
    return this;
  }

  Configs override(String consumer, Limit... all) {
    overrides = Map.of(consumer, List.of(all));
    return this;
  }

  Configs headers(boolean value) {
    headers = value;
    return this;
  }

  Configs shadow() {
    mode = RateLimitConfig.Mode.SHADOW;
    return this;
  }

  Configs redis(String uri, Duration timeout) {
    return redis(new RateLimitConfig.Redis(uri, null, null, timeout));
  }

  Configs redis(RateLimitConfig.Redis settings) {
    store = RateLimitConfig.Store.REDIS;
    redis = settings;
    return this;
  }

  Configs onStoreFailure(RateLimitConfig.OnStoreFailure value) {
    onStoreFailure = value;
    return this;
  }

  Configs localShare(double value) {
    localShare = value;
    return this;
  }

  Configs maxKeys(int value) {
    maxKeys = value;
    return this;
  }

  RateLimitConfig build() {
    return new RateLimitConfig(key, limits, overrides, headers, mode, store, redis, onStoreFailure, localShare, maxKeys);
  }
}
