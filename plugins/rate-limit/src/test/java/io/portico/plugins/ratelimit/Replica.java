package io.portico.plugins.ratelimit;

import static org.awaitility.Awaitility.await;

import io.portico.spi.Plugin;
import io.portico.testkit.TestPluginContext;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/** One gateway replica for the tests: its own Vert.x, its own plugin factory, one route's plugin. */
final class Replica implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final TestPluginContext context;
  final RateLimitPlugin plugin;
  final Load load;

  Replica(RateLimitConfig config, int knownReplicas) {
    this(config, knownReplicas, name -> null);
  }

  Replica(RateLimitConfig config, int knownReplicas, UnaryOperator<String> env) {
    context = new TestPluginContext(vertx).routeName("r").replicas(knownReplicas);
    new RateLimitPluginFactory().validate(config, (field, message) -> {
      throw new IllegalArgumentException(field + ": " + message);
    });
    plugin = new RateLimitPlugin(config, context, env);
    plugin.warmUp().await();
    load = new Load(plugin, vertx.getOrCreateContext());
  }

  boolean degraded() {
    Map<String, Object> status = plugin.status();
    return Boolean.TRUE.equals(status.get("store_degraded"));
  }

  /** Sends a request now and then until the replica uses the shared store again. */
  void awaitShared() {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      Load.await(load.request());
      return !degraded();
    });
  }

  Plugin plugin() {
    return plugin;
  }

  @Override
  public void close() {
    plugin.close().await();
    vertx.close().await();
  }
}
