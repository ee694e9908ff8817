package io.portico.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.portico.config.UpstreamProtocol;
import io.portico.spi.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The upstream connections of one event loop: a {@link ConnectionPool} per endpoint and client
 * settings, created on first use and kept across config reloads so they stay warm. Connections are
 * plain Netty channels on this loop (the Vert.x transport's, epoll when available), so an exchange
 * never leaves its thread. Confined to its event loop.
 */
public final class UpstreamClients {
  private static final int MAX_CACHED_ENDPOINTS = 4096;

  private final Vertx vertx;
  private final Bootstrap bootstrap;
  private final EventLoop loop;
  private final LongAdder open;
  private final Map<PoolKey, ConnectionPool> pools = new HashMap<>();
  private final Map<Endpoint, ConnectionPool> byEndpoint = new IdentityHashMap<>();
  private HttpClient tunnels;

  private record PoolKey(String host, int port, ClientSettings settings) {}

  /** @param open counts the connections of this loop's pools (shared with the other loops) */
  public UpstreamClients(Vertx vertx, EventLoop loop, LongAdder open) {
    this.vertx = vertx;
    this.open = open;
    this.loop = loop;
    this.bootstrap = new Bootstrap()
        .group(loop)
        .channelFactory(((VertxInternal) vertx).transport().channelFactory(false))
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        // host names resolve through Vert.x's asynchronous resolver (hosts file, then DNS with a
        // cache that honours TTLs), never with a blocking lookup on this loop, Netty's default
        .resolver(((VertxInternal) vertx).nameResolver().nettyAddressResolverGroup());
  }

  /** The pool of {@code endpoint} for upstreams with {@code settings}. */
  public ConnectionPool pool(Endpoint endpoint, ClientSettings settings) {
    ConnectionPool pool = byEndpoint.get(endpoint); // endpoints of a snapshot are the same objects
    if (pool != null) {
      return pool;
    }
    pool = pools.computeIfAbsent(new PoolKey(endpoint.host(), endpoint.port(), settings), this::newPool);
    if (byEndpoint.size() >= MAX_CACHED_ENDPOINTS) {
      byEndpoint.clear(); // endpoints of older snapshots
    }
    byEndpoint.put(endpoint, pool);
    return pool;
  }

  private ConnectionPool newPool(PoolKey key) {
    ClientSettings settings = key.settings();
    Bootstrap connecting = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis());
    ConnectionPool http1 = settings.protocol() == UpstreamProtocol.H2 || settings.protocol() == UpstreamProtocol.H2C
        ? null : new Http1ConnectionPool(connecting, key.host(), key.port(), settings.maxConnections(), open, settings.tls());
    if (settings.protocol() == UpstreamProtocol.HTTP1) {
      return http1;
    }
    // HTTP/2: multiplexed streams; auto keeps the HTTP/1.1 pool for a server that does not agree to h2
    return new Http2ConnectionPool(connecting, loop, key.host(), key.port(), open,
        settings.protocol() == UpstreamProtocol.H2C ? null : settings.tls(), settings, http1);
  }

  /**
   * The client of this loop for WebSocket upgrades: each upgrade gets a connection of its own, which
   * after a 101 becomes a byte tunnel (no idle timeout here: the tunnel keeps its own). Created on
   * first use, on this loop.
   *
   * @param maxTunnels the listener's cap on open tunnels: no endpoint needs more connections
   */
  public HttpClient tunnels(int maxTunnels) {
    if (tunnels == null) {
      tunnels = vertx.createHttpClient(new HttpClientOptions()
              .setTcpNoDelay(true)
              .setIdleTimeout(0)
              .setDecompressionSupported(false),
          // a tunnel keeps its connection, and the listener caps open tunnels: no other pool limit
          new PoolOptions().setHttp1MaxSize(Math.max(1, maxTunnels)));
    }
    return tunnels;
  }

  /** Closes idle connections and stops opening new ones. */
  public void close() {
    for (ConnectionPool pool : pools.values()) {
      pool.close();
    }
    if (tunnels != null) {
      tunnels.close();
    }
  }
}
