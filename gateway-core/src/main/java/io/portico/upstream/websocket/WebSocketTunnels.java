package io.portico.upstream.websocket;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The open WebSocket tunnels of a listener, over all its event loops: the cap on how many may be
 * open, and the gateway-side ends (drain on shutdown, routes removed by a reload). Thread-safe.
 */
public final class WebSocketTunnels {
  /**
   * Time kept at the end of the drain for the close handshake (at most a tenth of the drain): the
   * gateway sends its 1001 this much before the drain ends, since the listener closes every
   * connection left at that moment.
   */
  private static final long CLOSE_MARGIN_MILLIS = 1_000;

  private final int max;
  private final AtomicInteger reserved = new AtomicInteger();
  private final Set<WebSocketTunnel> open = ConcurrentHashMap.newKeySet();
  private final WebSocketMeters meters;
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile long drainCloseDelayMillis;

  /** @param max the most tunnels open at once ({@code limits.max-websockets}) */
  public WebSocketTunnels(int max, MeterRegistry registry) {
    this.max = max;
    this.meters = new WebSocketMeters(registry);
  }

  public WebSocketMeters meters() {
    return meters;
  }

  /**
   * Takes one place for an upgrade about to go upstream; {@code false} when the listener holds its
   * maximum already (then the answer is 503). A place taken is given back with {@link #release}, or
   * kept by the tunnel with {@link #opened} until it closes.
   */
  public boolean tryReserve() {
    while (true) {
      int now = reserved.get();
      if (now >= max) {
        return false;
      }
      if (reserved.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  /** Gives back a place whose upgrade did not open a tunnel. */
  public void release() {
    reserved.decrementAndGet();
  }

  /** Tunnels open now. */
  public int openCount() {
    return open.size();
  }

  /** Records an open tunnel that holds a reserved place; a drain already under way applies to it too. */
  public void opened(WebSocketTunnel tunnel, WebSocketMeters.Route routeMeters) {
    open.add(tunnel);
    routeMeters.opened();
    if (draining.get()) {
      tunnel.goAway(drainCloseDelayMillis, "server shutting down");
    }
  }

  /** Records that a tunnel closed and gives its place back. */
  public void closed(WebSocketTunnel tunnel, WebSocketMeters.Route routeMeters) {
    if (open.remove(tunnel)) {
      routeMeters.closed();
      reserved.decrementAndGet();
    }
  }

  /**
   * The gateway is shutting down with {@code drain}: every open tunnel gets its close frame 1001 at
   * the end of the drain (a little before, so the close handshake completes before the listener
   * closes what is left). Only the first call counts.
   */
  public void drain(Duration drain) {
    long delay = closeDelay(drain);
    drainCloseDelayMillis = delay;
    if (draining.compareAndSet(false, true)) {
      for (WebSocketTunnel tunnel : open) {
        tunnel.goAway(delay, "server shutting down");
      }
    }
  }

  /** A reload made {@code live} the routes: tunnels of any other route get 1001 after {@code drain}. */
  public void routesChanged(Predicate<String> live, Duration drain) {
    for (WebSocketTunnel tunnel : open) {
      if (!live.test(tunnel.route())) {
        tunnel.goAway(drain.toMillis(), "route removed");
      }
    }
  }

  private static long closeDelay(Duration drain) {
    long millis = drain.toMillis();
    return Math.max(0, millis - Math.min(CLOSE_MARGIN_MILLIS, millis / 10));
  }
}
