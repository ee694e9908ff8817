package io.portico.spi;

import java.util.List;

/**
 * Live counts the gateway keeps about its own connections and exchanges, for plugins that export
 * them (the bundled {@code metrics} plugin binds gauges to them). Reached through
 * {@link PluginContext#gatewayStats()}.
 *
 * <p>Every method is cheap, never blocks and may be called from any thread, typically a metrics
 * scrape. Values are sums of counters that the event loops update without locking, so while
 * connections open and close a value may lag by a few.
 *
 * @since 1.1
 */
public interface GatewayStats {

  /** The stats of a host that keeps none: no listeners, nothing open, nothing in flight. */
  GatewayStats NONE = new GatewayStats() {
    @Override
    public List<Listener> listeners() {
      return List.of();
    }

    @Override
    public long upstreamConnections() {
      return 0;
    }

    @Override
    public long exchangesInFlight() {
      return 0;
    }
  };

  /** The client-facing listeners; the list is fixed for the lifetime of the gateway. */
  List<Listener> listeners();

  /**
   * Connections from the gateway to upstream endpoints that are open or being opened, busy or idle
   * in a keep-alive pool, over all event loops. WebSocket relays are not counted.
   */
  long upstreamConnections();

  /** Exchanges whose request head arrived and whose {@code onComplete} has not run yet. */
  long exchangesInFlight();

  /** One client-facing listener. */
  interface Listener {
    /** {@code http} or {@code https}: stable across restarts, fit for a metric label. */
    String name();

    /**
     * Client connections open now, from accept (with TLS: from the end of the handshake) to close.
     * An HTTP/2 connection counts once, whatever the number of its streams.
     */
    long openConnections();
  }
}
