package io.portico.plugins.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.spi.GatewayStats;

/**
 * Gauges on the gateway's own counts: {@code portico_open_connections{listener}},
 * {@code portico_upstream_open_connections} and {@code portico_requests_in_flight}. Binding again
 * leaves the gauges already registered as they are (Micrometer would warn of a second object for
 * the same gauge), so every route's plugin may call it at create time.
 */
final class EngineGauges {
  private EngineGauges() {}

  static void bind(MeterRegistry registry, GatewayStats stats) {
    if (stats == GatewayStats.NONE) {
      return;
    }
    for (GatewayStats.Listener listener : stats.listeners()) {
      if (registry.find("portico.open.connections").tag("listener", listener.name()).gauge() != null) {
        continue; // bound by an earlier route: registering another object would only log a warning
      }
      Gauge.builder("portico.open.connections", listener, GatewayStats.Listener::openConnections)
          .description("client connections open on the listener")
          .tag("listener", listener.name())
          .strongReference(true)
          .register(registry);
    }
    if (registry.find("portico.requests.in.flight").gauge() != null) {
      return; // as above
    }
    Gauge.builder("portico.upstream.open.connections", stats, GatewayStats::upstreamConnections)
        .description("connections to upstream endpoints open or opening, busy or idle in the pools")
        .strongReference(true)
        .register(registry);
    Gauge.builder("portico.requests.in.flight", stats, GatewayStats::exchangesInFlight)
        .description("exchanges started and not yet complete")
        .strongReference(true)
        .register(registry);
  }
}
