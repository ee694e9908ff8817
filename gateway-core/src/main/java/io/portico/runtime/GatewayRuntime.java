package io.portico.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.ListenConfig;
import io.portico.upstream.websocket.WebSocketTunnels;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all listeners of a gateway share: the current snapshot (swapped as a whole on reload), the
 * listener settings fixed at start, and the counts of connections and exchanges in flight.
 */
public final class GatewayRuntime {
  /** Each gateway binding "a free port" gets its own negative port number, shared by its listeners. */
  private static final AtomicInteger FREE_PORT_KEYS = new AtomicInteger();

  private final int bindPort;
  private final ListenConfig listen;
  private final ListenerLimits limits;
  private final MeterRegistry meterRegistry;
  private final EngineStats stats;
  private final AtomicInteger inFlight;
  private final WebSocketTunnels webSockets;
  private final OverloadState overload;
  private volatile CompiledConfig snapshot;
  private volatile boolean draining;

  public GatewayRuntime(CompiledConfig initial, MeterRegistry meterRegistry, EngineStats stats) {
    this.snapshot = initial;
    this.listen = initial.config().gateway().listen();
    this.bindPort = listen.port() == 0 ? -1 - (FREE_PORT_KEYS.getAndIncrement() % 30000) : listen.port();
    this.limits = ListenerLimits.of(initial.config().gateway().limits());
    this.meterRegistry = meterRegistry;
    this.stats = stats;
    this.inFlight = stats.inFlight();
    this.webSockets = new WebSocketTunnels(initial.config().gateway().limits().maxWebsockets(), meterRegistry);
    this.overload = new OverloadState(meterRegistry);
  }

  /** Whether the gateway sheds new requests to protect itself, and why. */
  public OverloadState overload() {
    return overload;
  }

  public CompiledConfig snapshot() {
    return snapshot;
  }

  /** Makes {@code next} the snapshot new exchanges use. */
  public void swap(CompiledConfig next) {
    this.snapshot = next;
    webSockets.routesChanged(next.chains()::containsKey, next.config().gateway().drainTimeout());
  }

  /** The open WebSocket tunnels of the listener. */
  public WebSocketTunnels webSockets() {
    return webSockets;
  }

  /**
   * The port the listeners bind: the configured one, or for port 0 a negative number unique to this
   * gateway, which makes Vert.x pick one free port and share it between this gateway's listeners
   * only.
   */
  public int bindPort() {
    return bindPort;
  }

  public ListenConfig listen() {
    return listen;
  }

  public ListenerLimits limits() {
    return limits;
  }

  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** The counts plugins read through {@link io.portico.spi.PluginContext#gatewayStats()}. */
  public EngineStats stats() {
    return stats;
  }

  /** Exchanges started and not yet complete, over all loops. */
  public int inFlight() {
    return inFlight.get();
  }

  public void exchangeStarted() {
    inFlight.incrementAndGet();
  }

  public void exchangeEnded() {
    inFlight.decrementAndGet();
  }

  /** From now on answers ask clients to close their connections. */
  public void startDraining() {
    draining = true;
  }

  public boolean draining() {
    return draining;
  }
}
