package io.portico.spi;

import io.vertx.core.Future;
import java.util.Map;

/**
 * A plugin instance bound to one route's config. One instance is shared by all event loops, so it
 * must be immutable or thread-safe; per-exchange state goes into {@link Exchange#put}.
 *
 * <p>All phase methods are called on the event loop that owns the exchange and must not block.
 * A phase returns a future of a {@link Decision}: {@code Decision.next().asFuture()} to carry on,
 * or {@code reply.asFuture()} to answer the client with a {@link Reply}. Return an already
 * completed future when you can: the runner then continues synchronously. Throwing (an
 * {@link Error} too) is answered with a 500 {@code plugin_error} naming the plugin, and so is a
 * future still pending after the route's timeout; do not use either for control flow.
 */
public interface Plugin {

  /**
   * Called on the request head, in stage order, before any upstream call. The request body has
   * not been read (see {@link Exchange#body(long)}). Returning a {@link Reply} skips the remaining
   * plugins and the upstream; {@link #onResponse} still runs for the plugins that already ran.
   */
  default Future<Decision> onRequest(Exchange exchange) {
    return Decision.next().asFuture();
  }

  /**
   * Called in reverse stage order on the head of the answer, from the upstream or from a
   * {@link Reply}, before it is written. {@link Exchange#status()} and
   * {@link Exchange#responseHeaders()} are set; the body has not been read. A returned
   * {@link Reply} replaces the answer.
   */
  default Future<Decision> onResponse(Exchange exchange) {
    return Decision.next().asFuture();
  }

  /**
   * Called exactly once per exchange that reached this plugin's route, in reverse order, after the
   * answer was written or the client went away. Must not throw and must not block.
   */
  default void onComplete(ExchangeLog log) {}

  /**
   * Completes when the plugin is able to serve (for example when signing keys have been
   * fetched). The gateway reports {@code /readyz} ready only once every plugin of the active
   * config has warmed up. Called once, on an event loop, after {@link PluginFactory#create}.
   */
  default Future<Void> warmUp() {
    return Future.succeededFuture();
  }

  /**
   * State worth showing at {@code /admin/routes} (for example a breaker's state). Called from the
   * admin server's event loop; must be cheap and thread-safe. Values must be JSON-friendly.
   */
  default Map<String, Object> status() {
    return Map.of();
  }

  /**
   * Called once when the route is replaced by a different config or removed, after the new
   * config went live. In-flight exchanges may still call the plugin while it closes.
   */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
