package io.portico.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.portico.runtime.ListenerLimits;
import io.portico.server.framing.Http2FieldGuard;
import io.portico.server.framing.RequestFramingGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetServerImpl;
import io.vertx.core.net.impl.NetServerInternal;
import java.util.concurrent.atomic.LongAdder;

/**
 * Creates the client-facing Vert.x HttpServer with a {@link RequestFramingGuard} in front of the
 * HTTP/1 decoder of every connection, from the moment it is accepted.
 *
 * <p>Vert.x offers no public hook that runs before the first bytes are decoded: with h2c enabled
 * the HTTP/1 pipeline (and the connection handler) is only set up once the first request has been
 * decoded, which is too late to see what Netty repaired in it. The Vert.x 5 HTTP server is built on
 * its TCP server, whose {@code initChannel} runs for each accepted channel; this class supplies that
 * TCP server through a {@link VertxWrapper}. It relies on Vert.x internals and is checked by the
 * hostile-input tests on every build.
 *
 * <p>With TLS the guard must see decrypted bytes, and the TCP-level hook runs before the TLS
 * handler exists; there the guard goes in when the HTTP/1 connection is set up, which with TLS
 * happens right after the handshake and before any request byte is decoded (ALPN tells HTTP/1
 * from HTTP/2 up front, so no request is decoded before the connection handler runs).
 *
 * <p>The connection handler (Vert.x calls it for an HTTP/2 connection once the client's SETTINGS
 * arrived, before any stream) puts {@link Http2FieldGuard} on every HTTP/2 connection.
 *
 * <p>The same two hooks count the open client connections: per TCP channel, from accept (with TLS:
 * from the end of the handshake) to its close, so an h2c upgrade or an HTTP/2 connection with many
 * streams counts once.
 */
final class GuardedHttpServer {
  private static final String GUARD = "portico-framing-guard";

  private GuardedHttpServer() {}

  /**
   * @param open counts the server's open connections
   * @param cap closes connections beyond {@code overload.max-connections}, or {@code null}
   */
  static HttpServer create(Vertx vertx, HttpServerOptions options, ListenerLimits limits, LongAdder open,
      ConnectionCap cap) {
    if (options.isSsl()) {
      HttpServer server = vertx.createHttpServer(options);
      server.connectionHandler(connection -> {
        if (connection instanceof ConnectionBase base) {
          if (cap != null && !cap.admit(base.channel())) {
            return; // with TLS the cap applies once the handshake is done
          }
          count(base.channel(), open);
          if (base.channel().pipeline().get("httpDecoder") != null) {
            base.channel().pipeline().addBefore("httpDecoder", GUARD, new RequestFramingGuard(limits));
          }
          Http2FieldGuard.install(base.channel());
        }
      });
      return server;
    }
    HttpServer server = new HttpServerImpl(new GuardingVertx((VertxInternal) vertx, limits, open, cap), options);
    server.connectionHandler(GuardedHttpServer::guardHttp2);
    return server;
  }

  /** HTTP/2 connections (with prior knowledge or after an upgrade) get their field checks. */
  private static void guardHttp2(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      Http2FieldGuard.install(base.channel());
    }
  }

  private static void count(Channel channel, LongAdder open) {
    open.increment();
    channel.closeFuture().addListener(closed -> open.decrement());
  }

  private static final class GuardingVertx extends VertxWrapper {
    private final ListenerLimits limits;
    private final LongAdder open;
    private final ConnectionCap cap;

    GuardingVertx(VertxInternal delegate, ListenerLimits limits, LongAdder open, ConnectionCap cap) {
      super(delegate);
      this.limits = limits;
      this.open = open;
      this.cap = cap;
    }

    @Override
    public NetServerInternal createNetServer(NetServerOptions options) {
      return new GuardingNetServer(delegate, options, limits, open, cap);
    }
  }

  private static final class GuardingNetServer extends NetServerImpl {
    private final ListenerLimits limits;
    private final LongAdder open;
    private final ConnectionCap cap;

    GuardingNetServer(VertxInternal vertx, NetServerOptions options, ListenerLimits limits, LongAdder open,
        ConnectionCap cap) {
      super(vertx, options);
      this.limits = limits;
      this.open = open;
      this.cap = cap;
    }

    @Override
    protected void initChannel(ChannelPipeline pipeline, boolean ssl) {
      super.initChannel(pipeline, ssl);
      if (cap != null && !cap.admit(pipeline.channel())) {
        return; // closed at once: no guard, not counted as open
      }
      pipeline.addFirst(GUARD, new RequestFramingGuard(limits));
      count(pipeline.channel(), open);
    }
  }
}
