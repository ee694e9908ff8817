package io.portico.chain;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.spi.PluginContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** The {@link PluginContext} a plugin is created with. */
public record GatewayPluginContext(Vertx vertx, String routeName, MeterRegistry meterRegistry, Path baseDir)
    implements PluginContext {

  @Override
  public Path resolvePath(String path) {
    Path given = Path.of(path);
    if (given.isAbsolute() || baseDir == null) {
      return given;
    }
    return baseDir.resolve(given).normalize();
  }
}
