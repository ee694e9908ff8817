package io.portico.plugins.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.spi.PluginContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** A plugin context for driving the plugin directly. */
record TestPluginContext(Vertx vertx, MeterRegistry meterRegistry) implements PluginContext {
  TestPluginContext(Vertx vertx) {
    this(vertx, new SimpleMeterRegistry());
  }

  @Override
  public String routeName() {
    return "r";
  }

  @Override
  public Path resolvePath(String path) {
    return Path.of(path);
  }
}
