package io.portico.chain;

import io.portico.spi.Plugin;
import io.vertx.core.Future;
import org.slf4j.Logger;

/** Closes plugins without letting one failure stop the others. */
public final class Closing {
  private Closing() {}

  /** Calls {@link Plugin#close()}, logging a throw or a failed future. */
  public static Future<Void> close(Plugin plugin, Logger log) {
    try {
      Future<Void> closed = plugin.close();
      if (closed == null) {
        return Future.succeededFuture();
      }
      return closed.recover(cause -> {
        log.warn("plugin {} failed to close", plugin, cause);
        return Future.succeededFuture();
      });
    } catch (Throwable t) {
      PluginFaults.rethrowIfFatal(t);
      log.warn("plugin {} failed to close", plugin, t);
      return Future.succeededFuture();
    }
  }
}
