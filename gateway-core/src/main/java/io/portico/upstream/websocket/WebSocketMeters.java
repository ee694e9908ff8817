package io.portico.upstream.websocket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket meters: {@code portico_websocket_open{route}}, {@code portico_websocket_upgrades_total{route,outcome}}
 * and {@code portico_websocket_bytes_total{route,direction}}. A route's meters are registered at its
 * first upgrade (an upgrade is once per connection, not per request) and shared by all loops.
 */
public final class WebSocketMeters {
  /** The upstream answered 101 and the tunnel is open. */
  public static final String OPENED = "opened";
  /** The upstream answered the upgrade with something else than 101 (passed on to the client). */
  public static final String REFUSED = "refused";
  /** The listener's cap on open tunnels was reached: 503 before anything went upstream. */
  public static final String OVER_LIMIT = "over_limit";
  /** No connection to the upstream, no endpoint, a timeout, or a 101 that does not answer the request. */
  public static final String FAILED = "failed";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

  public WebSocketMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The meters of {@code route}. */
  public Route route(String route) {
    return routes.computeIfAbsent(route, name -> new Route(registry, name));
  }

  /** The meters of one route. */
  public static final class Route {
    private final MeterRegistry registry;
    private final String name;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter bytesToUpstream;
    private final Counter bytesToClient;

    Route(MeterRegistry registry, String name) {
      this.registry = registry;
      this.name = name;
      Gauge.builder("portico.websocket.open", open, AtomicInteger::get)
          .tag("route", name).description("open WebSocket tunnels").register(registry);
      this.bytesToUpstream = bytes("upstream");
      this.bytesToClient = bytes("downstream");
    }

    private Counter bytes(String direction) {
      return Counter.builder("portico.websocket.bytes").baseUnit("bytes")
          .tag("route", name).tag("direction", direction)
          .description("bytes relayed through WebSocket tunnels: upstream is client to upstream").register(registry);
    }

    /** Counts an upgrade attempt with its {@code outcome} (one of this class's constants). */
    public void upgrade(String outcome) {
      Counter.builder("portico.websocket.upgrades").tag("route", name).tag("outcome", outcome)
          .description("WebSocket upgrade requests by outcome").register(registry).increment();
    }

    void opened() {
      open.incrementAndGet();
    }

    void closed() {
      open.decrementAndGet();
    }

    Counter bytesToUpstream() {
      return bytesToUpstream;
    }

    Counter bytesToClient() {
      return bytesToClient;
    }
  }
}
