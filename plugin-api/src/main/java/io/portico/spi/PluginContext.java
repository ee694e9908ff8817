package io.portico.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/** What the gateway offers a plugin when it is created. */
public interface PluginContext {

  Vertx vertx();

  /** The route the plugin is created for. */
  String routeName();

  /**
   * The gateway's meter registry. Register meters here, at create time, tagged with the route;
   * never per request.
   */
  MeterRegistry meterRegistry();

  /**
   * Resolves a path named in config relative to the config file that named it (absolute paths
   * are returned unchanged).
   */
  Path resolvePath(String path);

  /**
   * Number of live gateway replicas sharing this config when known (for example from a registry),
   * else 1. Plugins splitting a shared budget read it on each use: it may change.
   */
  default int replicas() {
    return 1;
  }

  /**
   * The names of the plugins of the route's chain, in {@code onRequest} order, this plugin among
   * them: the same list (and list instance) that {@link ExchangeLog#pluginNames()} returns for the
   * route's exchanges until the next reload. Use it to bind per-plugin meters at create time. A
   * plugin instance is kept across a reload that leaves its own config unchanged, even when the rest
   * of the chain changes, so compare with {@link ExchangeLog#pluginNames()} before relying on it.
   * Empty for contexts that are not a route's (endpoint sources).
   *
   * @since 1.1
   */
  default List<String> chainPluginNames() {
    return List.of();
  }

  /**
   * Live counts the gateway keeps about itself (open connections, exchanges in flight), for
   * plugins that export them; {@link GatewayStats#NONE} where the host keeps none.
   *
   * @since 1.1
   */
  default GatewayStats gatewayStats() {
    return GatewayStats.NONE;
  }
}
