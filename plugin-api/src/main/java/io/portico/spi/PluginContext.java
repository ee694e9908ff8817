package io.portico.spi;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;

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
}
