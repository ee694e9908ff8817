package io.portico.server;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.net.impl.NetServerImpl;
import io.vertx.core.net.impl.NetServerInternal;

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
 */
final class GuardedHttpServer {
  private static final String GUARD = "portico-framing-guard";

  private GuardedHttpServer() {}

  static HttpServer create(Vertx vertx, HttpServerOptions options, ListenerLimits limits) {
    if (options.isSsl()) {
      HttpServer server = vertx.createHttpServer(options);
      server.connectionHandler(connection -> {
        if (connection instanceof ConnectionBase base && base.channel().pipeline().get("httpDecoder") != null) {
          base.channel().pipeline().addBefore("httpDecoder", GUARD, new RequestFramingGuard(limits));
        }
      });
      return server;
    }
    return new HttpServerImpl(new GuardingVertx((VertxInternal) vertx, limits), options);
  }

  private static final class GuardingVertx extends VertxWrapper {
    private final ListenerLimits limits;

    GuardingVertx(VertxInternal delegate, ListenerLimits limits) {
      super(delegate);
      this.limits = limits;
    }

    @Override
    public NetServerInternal createNetServer(NetServerOptions options) {
      return new GuardingNetServer(delegate, options, limits);
    }
  }

  private static final class GuardingNetServer extends NetServerImpl {
    private final ListenerLimits limits;

    GuardingNetServer(VertxInternal vertx, NetServerOptions options, ListenerLimits limits) {
      super(vertx, options);
      this.limits = limits;
    }

    @Override
    protected void initChannel(ChannelPipeline pipeline, boolean ssl) {
      super.initChannel(pipeline, ssl);
      pipeline.addFirst(GUARD, new RequestFramingGuard(limits));
    }
  }
}
