package io.portico.plugins.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.portico.spi.PluginContext;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** A plugin context for driving the plugin directly; {@code replicas} is what the gateway would know. */
record TestPluginContext(Vertx vertx, MeterRegistry meterRegistry, int replicas) implements PluginContext {
  TestPluginContext(Vertx vertx) {
    this(vertx, new SimpleMeterRegistry(), 1);
  }

  TestPluginContext(Vertx vertx, int replicas) {
    this(vertx, new SimpleMeterRegistry(), replicas);
  }

  @Override
  public String routeName() {
    return "r";
  }

  @Override
  public Path resolvePath(String path) {
    return Path.of(path);
  }

  double count(String meter) {
    return meterRegistry.counter(meter, "route", "r").count();
  }
}
