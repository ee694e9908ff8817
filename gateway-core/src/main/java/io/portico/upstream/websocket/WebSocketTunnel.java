package io.portico.upstream.websocket;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/**
 * A WebSocket connection after its 101: the client's socket and the upstream's, spliced byte for
 * byte in both directions with back-pressure. Frame and message sizes, fragmentation, ping/pong,
 * close codes, subprotocols and extensions are whatever the two ends agreed on; the gateway only
 * follows frame boundaries, so that when it must end the tunnel itself (drain, route removed, idle)
 * it sends both ends a close frame 1001 between two frames rather than cutting the connection.
 *
 * <p>All methods run on the event loop of the client connection ({@link #context}); {@link #goAway}
 * may be called from any thread.
 */
public final class WebSocketTunnel {
  /** How long the ends have to finish the close handshake once the gateway sent its close frames. */
  static final long CLOSE_GRACE_MILLIS = 5_000;

  private final NetSocket client;
  private final NetSocket upstream;
  private final Context context;
  private final Vertx vertx;
  private final String route;
  private final long idleTimeoutMillis;
  private final TunnelDirection toUpstream;
  private final TunnelDirection toClient;
  private final Consumer<TunnelEnd> ended;
  private final Runnable abort;
  private final long startNanos = System.nanoTime();
  private long lastActivityNanos = startNanos;
  private long idleTimer = -1;
  private long goAwayTimer = -1;
  private String goneAwayReason;
  private boolean gatewayClosedFirst;
  private boolean closed;
  private String closedBy;

  /**
   * @param meters the route's meters (bytes each way)
   * @param idleTimeoutMillis close the tunnel after this long without a byte either way, 0 for never
   * @param ended told once, when both sockets are closed
   * @param abort closes both connections at once, dropping what they still hold: for ends that do
   *     not finish the close handshake ({@link NetSocket#close} waits until what was written is
   *     flushed, which a peer that stopped reading never allows)
   */
  public WebSocketTunnel(NetSocket client, NetSocket upstream, Context context, String route, WebSocketMeters.Route meters,
      long idleTimeoutMillis, Consumer<TunnelEnd> ended, Runnable abort) {
    this.client = client;
    this.upstream = upstream;
    this.context = context;
    this.vertx = context.owner();
    this.route = route;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.ended = ended;
    this.abort = abort;
    this.toUpstream = new TunnelDirection(client, upstream, true, meters.bytesToUpstream(), this::touch);
    this.toClient = new TunnelDirection(upstream, client, false, meters.bytesToClient(), this::touch);
  }

  /** The route the tunnel was opened on. */
  public String route() {
    return route;
  }

  /** Starts relaying; call on the tunnel's event loop right after both sockets exist. */
  public void start() {
    client.closeHandler(v -> peerClosed("client", upstream));
    upstream.closeHandler(v -> peerClosed("upstream", client));
    client.exceptionHandler(t -> client.close());
    upstream.exceptionHandler(t -> upstream.close());
    toUpstream.start();
    toClient.start();
    if (idleTimeoutMillis > 0) {
      idleTimer = vertx.setTimer(idleTimeoutMillis, this::checkIdle);
    }
  }

  /**
   * Ends the tunnel from the gateway's side in {@code delayMillis}: both ends get a close frame 1001
   * with {@code reason} at their next frame boundary, and the sockets close once each end answered
   * with its own close frame (or after {@link #CLOSE_GRACE_MILLIS}). Only the first call counts.
   */
  public void goAway(long delayMillis, String reason) {
    context.runOnContext(v -> {
      if (closed || goAwayTimer >= 0 || goneAwayReason != null) {
        return;
      }
      if (delayMillis <= 0) {
        goAwayNow(reason);
      } else {
        goAwayTimer = vertx.setTimer(delayMillis, id -> goAwayNow(reason));
      }
    });
  }

  private void goAwayNow(String reason) {
    if (closed || goneAwayReason != null) {
      return;
    }
    goneAwayReason = reason;
    gatewayClosedFirst = !toClient.senderClosed() && !toUpstream.senderClosed();
    toClient.closeAtBoundary(CloseFrames.GOING_AWAY, reason, upstream::close);
    toUpstream.closeAtBoundary(CloseFrames.GOING_AWAY, reason, client::close);
    vertx.setTimer(CLOSE_GRACE_MILLIS, id -> abort.run());
  }

  private void touch() {
    lastActivityNanos = System.nanoTime();
  }

  private void checkIdle(long id) {
    if (closed) {
      return;
    }
    long idleMillis = (System.nanoTime() - lastActivityNanos) / 1_000_000;
    if (idleMillis >= idleTimeoutMillis) {
      goAwayNow("idle timeout");
    } else {
      idleTimer = vertx.setTimer(idleTimeoutMillis - idleMillis, this::checkIdle);
    }
  }

  private void peerClosed(String side, NetSocket other) {
    if (closedBy == null) {
      closedBy = goneAwayReason != null ? "gateway" : side;
    }
    other.close(); // flushes what was already written to it, then closes
    if (!closed) {
      closed = true;
      vertx.setTimer(CLOSE_GRACE_MILLIS, id -> abort.run()); // an end that stopped reading never flushes
      vertx.cancelTimer(idleTimer);
      vertx.cancelTimer(goAwayTimer);
      ended.accept(new TunnelEnd(closeCode(), closedBy, goneAwayReason, toUpstream.bytes(), toClient.bytes(),
          System.nanoTime() - startNanos));
    }
  }

  /** The status code of the first close frame either end (or the gateway) sent; -1 for none. */
  private int closeCode() {
    if (gatewayClosedFirst) {
      return CloseFrames.GOING_AWAY;
    }
    int fromUpstream = toClient.closeCode();
    return fromUpstream >= 0 ? fromUpstream : toUpstream.closeCode();
  }

  /**
   * How a tunnel ended.
   *
   * @param closeCode status code of the first close frame (1005: one without a code), -1 when the
   *     connection ended without one
   * @param closedBy {@code client}, {@code upstream} (whose connection closed first), or
   *     {@code gateway} (drain, route removed, idle)
   * @param reason why the gateway ended it, {@code null} when an end did
   * @param bytesToUpstream bytes relayed from the client to the upstream
   * @param bytesToClient bytes relayed from the upstream to the client
   * @param durationNanos from the 101 to the close
   */
  public record TunnelEnd(int closeCode, String closedBy, String reason, long bytesToUpstream, long bytesToClient,
      long durationNanos) {}
}
