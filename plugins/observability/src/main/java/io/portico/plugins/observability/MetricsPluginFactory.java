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
public final class MetricsPluginFactory implements PluginFactory<MetricsPluginFactory.Config> {
  /** Routes that got their own series, across reloads: the cap counts distinct route names. */
  private final Set<String> routesWithSeries = ConcurrentHashMap.newKeySet();

  /**
   * @param maxRoutes routes with series of their own; further routes share {@code route="_overflow"},
   *     so a route explosion cannot blow up Prometheus (default 1000)
   */
  public record Config(Integer maxRoutes) {
    public Config {
      maxRoutes = maxRoutes != null ? maxRoutes : 1000;
    }
  }

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

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public void validate(Config config, ConfigErrors errors) {
    if (config.maxRoutes() < 1) {
      errors.add("max-routes", "must be at least 1");
    }
  }

  @Override
  public Plugin create(Config config, PluginContext context) {
    String route = context.routeName();
    boolean own = routesWithSeries.contains(route)
        || (routesWithSeries.size() < config.maxRoutes() && routesWithSeries.add(route));
    EngineGauges.bind(context.meterRegistry(), context.gatewayStats());
    return new MetricsPlugin(context.meterRegistry(), own ? route : "_overflow", context.chainPluginNames());
  }
}
