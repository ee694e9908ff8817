package io.portico.upstream;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Resolves host names the way upstream connections do: with Vert.x's asynchronous resolver (the
 * hosts file, then DNS with a cache that honours TTLs), never a blocking lookup.
 */
public final class HostResolver {
  private HostResolver() {}

  /** Every address of {@code host}; {@code handler} runs on the caller's context. */
  public static void resolveAll(Vertx vertx, String host, Handler<AsyncResult<List<InetSocketAddress>>> handler) {
    ((VertxInternal) vertx).nameResolver().resolveAll(host, handler);
  }
}
