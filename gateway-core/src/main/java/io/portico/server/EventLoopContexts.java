package io.portico.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/**
 * Contexts of the gateway's own: an event-loop context that no verticle owns, for work that must
 * stay on one thread in order (compiling and swapping snapshots). Vert.x makes these only through
 * its internal API, which is why this lives with the transport code.
 */
public final class EventLoopContexts {
  private EventLoopContexts() {}

  /** A new event-loop context on one of {@code vertx}'s loops. */
  public static Context create(Vertx vertx) {
    return ((VertxInternal) vertx).createEventLoopContext();
  }
}
