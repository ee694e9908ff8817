package io.portico.chain;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.spi.GatewayStats;
import io.portico.spi.PluginContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link PluginContext} a plugin (or an endpoint source) is created with.
 *
 * @param chainPluginNames the names of the route's chain, empty for an endpoint source
 */
public record GatewayPluginContext(Vertx vertx, String routeName, MeterRegistry meterRegistry, Path baseDir,
    List<String> chainPluginNames, GatewayStats gatewayStats) implements PluginContext {

  @Override
  public Path resolvePath(String path) {
    Path given = Path.of(path);
    if (given.isAbsolute() || baseDir == null) {
      return given;
    }
    return baseDir.resolve(given).normalize();
  }
}
