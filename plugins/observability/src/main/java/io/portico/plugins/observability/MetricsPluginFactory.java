package io.portico.plugins.observability;

import io.portico.spi.ConfigErrors;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.PluginFactory;
import io.portico.spi.Stage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code metrics}: Prometheus metrics per route and per plugin of the route from each finished
 * exchange, and gauges on the gateway's connections. Runs first on the way in, so its
 * {@code onComplete} sees the whole exchange last.
 */
public final class MetricsPluginFactory implements PluginFactory<MetricsConfig> {
  /** Routes that got their own series, across reloads: the cap counts distinct route names. */
  private final Set<String> routesWithSeries = ConcurrentHashMap.newKeySet();

  @Override
  public String name() {
    return "metrics";
  }

  @Override
  public Stage stage() {
    return Stage.INGRESS;
  }

  @Override
  public int priority() {
    return 10_000;
  }

  /** Statistics are a core duty: every route is measured unless the config says {@code metrics: false}. */
  @Override
  public boolean enabledByDefault() {
    return true;
  }

  @Override
  public Class<MetricsConfig> configType() {
    return MetricsConfig.class;
  }

  @Override
  public void validate(MetricsConfig config, ConfigErrors errors) {
    if (config.maxRoutes() < 1) {
      errors.add("max-routes", "must be at least 1");
    }
  }

  @Override
  public Plugin create(MetricsConfig config, PluginContext context) {
    String route = context.routeName();
    boolean own = routesWithSeries.contains(route)
        || (routesWithSeries.size() < config.maxRoutes() && routesWithSeries.add(route));
    EngineGauges.bind(context.meterRegistry(), context.gatewayStats());
    return new MetricsPlugin(context.meterRegistry(), own ? route : "_overflow", context.chainPluginNames());
  }
}
