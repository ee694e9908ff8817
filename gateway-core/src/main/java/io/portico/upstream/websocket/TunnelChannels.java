package io.portico.upstream.websocket;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The two Netty channels under a tunnel: the client's, taken over after the 101, and the
 * upstream's. The one place the tunnel reaches under Vert.x's public API, for what that API does
 * not offer: dropping the listener's keep-alive idle handler, and closing without waiting for a
 * flush that a peer which stopped reading would never let finish.
 */
public final class TunnelChannels {
  private final Channel client;
  private final Channel upstream;

  private TunnelChannels(Channel client, Channel upstream) {
    this.client = client;
    this.upstream = upstream;
  }

  /** The channels of the client's socket and of the connection that carried the upstream's 101. */
  public static TunnelChannels of(NetSocket client, HttpClientResponse switched) {
    return new TunnelChannels(((NetSocketInternal) client).channelHandlerContext().channel(),
        ((ConnectionBase) switched.request().connection()).channel());
  }

  /** Removes the listener's idle handler from the client's channel: the tunnel keeps its own timeout. */
  public void dropListenerIdleTimeout() {
    if (client.pipeline().get("idle") != null) {
      client.pipeline().remove("idle");
    }
  }

  /** Closes both channels now, whatever is still queued for writing. */
  public void closeNow() {
    client.close();
    upstream.close();
  }
}
