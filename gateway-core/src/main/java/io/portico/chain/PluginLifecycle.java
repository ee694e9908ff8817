package io.portico.chain;

import io.portico.plugin.PluginCalls;
import io.portico.spi.Plugin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/** Warms up and closes plugins, many at a time. */
public final class PluginLifecycle {
  private PluginLifecycle() {}

  /**
   * Calls {@link Plugin#warmUp()} of each plugin on {@code eventLoop} (an event-loop context);
   * completes when all did, fails when one failed or threw.
   */
  public static Future<Void> warmUp(List<Plugin> plugins, Context eventLoop) {
    if (plugins.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    eventLoop.runOnContext(v -> {
      List<Future<Void>> warming = new ArrayList<>(plugins.size());
      for (Plugin plugin : plugins) {
        try {
          Future<Void> warm = plugin.warmUp();
          warming.add(warm != null ? warm : Future.succeededFuture());
        } catch (Throwable t) {
          PluginCalls.rethrowIfFatal(t);
          warming.add(Future.failedFuture(t));
        }
      }
      Future.all(warming).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  /**
   * Closes each plugin, logging a throw or a failed future without stopping the others; completes
   * when all are closed. The one way the gateway closes plugins.
   */
  public static Future<Void> closeAll(List<Plugin> plugins) {
    if (plugins.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> closing = new ArrayList<>(plugins.size());
    for (Plugin plugin : plugins) {
      closing.add(PluginCalls.close("plugin " + plugin, plugin, plugin::close));
    }
    return Future.join(closing).mapEmpty();
  }
}
