package io.portico.plugins.breaker;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;

/**
 * {@code circuit-breaker}: stops sending a route's traffic to a failing upstream for a while, serves
 * a fallback meanwhile, and lets a few trial calls through before closing again. Optionally caps
 * the route's concurrent requests (a bulkhead).
 */
public final class CircuitBreakerPluginFactory implements PluginFactory<CircuitBreakerConfig> {

  @Override
  public String name() {
    return "circuit-breaker";
  }

  @Override
  public Stage stage() {
    return Stage.ROUTE;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Class<CircuitBreakerConfig> configType() {
    return CircuitBreakerConfig.class;
  }

  @Override
  public void validate(CircuitBreakerConfig config, ConfigErrors errors) {
    if (config.failures() < 1) {
      errors.add("failures", "must be at least 1");
    }
    if (config.failureRate() != null && (config.failureRate() < 1 || config.failureRate() > 100)) {
      errors.add("failure-rate", "must be a percentage from 1 to 100");
    }
    if (config.minimumRequests() < 1) {
      errors.add("minimum-requests", "must be at least 1");
    }
    if (config.halfOpenRequests() < 1) {
      errors.add("half-open-requests", "must be at least 1");
    }
    if (config.window().toMillis() < 1000) {
      errors.add("window", "must be at least 1s");
    }
    for (int i = 0; i < config.failureStatuses().size(); i++) {
      int status = config.failureStatuses().get(i);
      if (status < 100 || status > 599) {
        errors.add("failure-statuses[" + i + "]", "not an HTTP status: " + status);
      }
    }
    if (config.fallback() != null && (config.fallback().status() < 100 || config.fallback().status() > 599)) {
      errors.add("fallback.status", "not an HTTP status: " + config.fallback().status());
    }
    if (config.bulkhead() != null && (config.bulkhead().maxConcurrent() == null || config.bulkhead().maxConcurrent() < 1)) {
      errors.add("bulkhead.max-concurrent", "must be at least 1");
    }
  }

  @Override
  public Plugin create(CircuitBreakerConfig config, PluginContext context) {
    return new CircuitBreakerPlugin(config, context);
  }
}
