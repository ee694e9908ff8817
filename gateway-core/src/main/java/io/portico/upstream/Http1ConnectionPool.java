package io.portico.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.ssl.SslHandler;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 keep-alive connections of one event loop to one endpoint: idle ones reused most recent first,
 * at most {@code maxConnections} open, and exchanges waiting in order when all are busy. Idle
 * connections older than the keep-alive time are closed as others come back. Confined to its event
 * loop.
 */
final class Http1ConnectionPool implements ConnectionPool {

  private static final Logger LOG = LoggerFactory.getLogger(Http1ConnectionPool.class);
  private static final long KEEP_ALIVE_NANOS = 30_000_000_000L;

  private final Bootstrap bootstrap;
  private final String host;
  private final int port;
  private final int maxConnections;
  private final String address;
  private final LongAdder counted;
  private final UpstreamTls tls;
  private final ArrayDeque<UpstreamConnection> idle = new ArrayDeque<>();
  private final ArrayDeque<Lease> waiting = new ArrayDeque<>();
  private int open;
  private boolean closed;

  /** @param counted counts the open connections of all pools, for the gateway's stats */
  Http1ConnectionPool(Bootstrap bootstrap, String host, int port, int maxConnections, LongAdder counted) {
    this(bootstrap, host, port, maxConnections, counted, null);
  }

  /** @param tls TLS to the endpoint: a connection is handed out once its handshake succeeded */
  Http1ConnectionPool(Bootstrap bootstrap, String host, int port, int maxConnections, LongAdder counted, UpstreamTls tls) {
    this.bootstrap = bootstrap;
    this.tls = tls;
    this.counted = counted;
    this.host = host;
    this.port = port;
    this.maxConnections = maxConnections;
    this.address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void acquire(Lease lease) {
    while (!idle.isEmpty()) {
      UpstreamConnection connection = idle.pollFirst();
      if (connection.isActive()) {
        lease.acquired(connection);
        return;
      }
    }
    if (open < maxConnections) {
      connect(lease);
    } else {
      waiting.addLast(lease);
    }
  }

  @Override
  public void cancel(Lease lease) {
    waiting.remove(lease);
  }

  @Override
  public void release(UpstreamConnection connection, boolean reusable) {
    if (!reusable || closed) {
      connection.close(); // channelInactive will count it out
      return;
    }
    Lease next = waiting.pollFirst();
    if (next != null) {
      next.acquired(connection);
      return;
    }
    long now = System.nanoTime();
    connection.idleSince = now;
    idle.addFirst(connection);
    while (now - idle.peekLast().idleSince > KEEP_ALIVE_NANOS) {
      idle.pollLast().close(); // the least recently used went stale
    }
  }

  @Override
  public void closed(UpstreamConnection connection) {
    open--;
    counted.decrement();
    idle.remove(connection);
    Lease next = waiting.pollFirst();
    if (next != null && !this.closed) {
      connect(next);
    }
  }

  @Override
  public void close() {
    closed = true;
    while (!idle.isEmpty()) {
      idle.pollFirst().close();
    }
  }

  private void connect(Lease lease) {
    open++;
    counted.increment();
    UpstreamConnection connection = new UpstreamConnection(this);
    ChannelFuture connecting = bootstrap.clone()
        .handler(new UpstreamChannelInitializer(connection, tls, host, port)).connect(host, port);
    connecting.addListener((ChannelFutureListener) future -> {
      if (future.isSuccess()) {
        SslHandler handshaking = tls == null ? null : future.channel().pipeline().get(SslHandler.class);
        if (handshaking == null) {
          lease.acquired(connection);
          return;
        }
        handshaking.handshakeFuture().addListener(handshake -> {
          if (handshake.isSuccess()) {
            lease.acquired(connection);
          } else {
            // the channel was active: its close counts it out through closed()
            future.channel().close();
            UpstreamTlsException failure = new UpstreamTlsException(address, handshake.cause());
            LOG.warn("{}", failure.getMessage());
            lease.connectFailed(failure);
          }
        });
      } else {
        open--;
        counted.decrement();
        lease.connectFailed(future.cause());
      }
    });
  }
}
