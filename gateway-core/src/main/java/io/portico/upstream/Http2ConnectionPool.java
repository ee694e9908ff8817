package io.portico.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.portico.config.UpstreamProtocol;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/2 connections of one event loop to one endpoint ({@code protocol: h2c}, {@code h2} or
 * {@code auto}): each try gets a stream of its own on a {@link MultiplexedConnection}, at most
 * {@code max-concurrent-streams} (or the server's lower limit) per connection and at most
 * {@code max-connections} connections. When every connection is full a try waits briefly (in order,
 * a bounded queue) for a stream to end, else fails with {@link UpstreamOverloaded}. A connection the
 * server sends GOAWAY on takes no new streams: the next try opens a fresh one. With {@code auto},
 * a server that picks http/1.1 by ALPN gets its tries through an HTTP/1.1 pool from then on.
 * Confined to its event loop.
 */
final class Http2ConnectionPool implements ConnectionPool {
  private static final Logger LOG = LoggerFactory.getLogger(Http2ConnectionPool.class);

  private final Bootstrap bootstrap;
  private final EventLoop loop;
  private final String host;
  private final int port;
  private final String address;
  private final LongAdder counted;
  private final UpstreamTls tls;
  private final UpstreamProtocol protocol;
  private final int maxStreams;
  private final int maxConnections;
  private final long pingMillis;
  private final long waitMillis;
  private final ConnectionPool http1;
  private final List<MultiplexedConnection> connections = new ArrayList<>(2);
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int connecting;
  private boolean http1Only;
  private boolean closed;

  /** A try waiting for a stream, failed as overloaded when it waited too long. */
  private static final class Waiter {
    final ConnectionPool.Lease lease;
    ScheduledFuture<?> expiry;

    Waiter(ConnectionPool.Lease lease) {
      this.lease = lease;
    }

    void stopWaiting() {
      if (expiry != null) {
        expiry.cancel(false);
      }
    }
  }

  /**
   * @param tls TLS to the endpoint ({@code h2} and {@code auto}), {@code null} for {@code h2c}
   * @param http1 where tries go when {@code auto} finds a server without h2; {@code null} otherwise
   */
  Http2ConnectionPool(Bootstrap bootstrap, EventLoop loop, String host, int port, LongAdder counted, UpstreamTls tls,
      ClientSettings settings, ConnectionPool http1) {
    this.bootstrap = bootstrap;
    this.loop = loop;
    this.host = host;
    this.port = port;
    this.counted = counted;
    this.tls = tls;
    this.protocol = settings.protocol();
    this.maxStreams = settings.http2().maxConcurrentStreams();
    this.maxConnections = settings.http2().maxConnections();
    this.pingMillis = settings.http2().pingInterval().toMillis();
    // "briefly": as long as a connect may take, the wait for a stream that a full pool implies
    this.waitMillis = Math.max(100, settings.connectTimeoutMillis());
    this.http1 = http1;
    this.address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public void acquire(Lease lease) {
    if (http1Only) {
      http1.acquire(lease);
      return;
    }
    if (closed) {
      lease.connectFailed(new IllegalStateException("the gateway is stopping"));
      return;
    }
    MultiplexedConnection room = withRoom();
    if (room != null && waiting.isEmpty()) {
      start(room, lease);
      return;
    }
    if (waiting.size() >= (long) maxStreams * maxConnections) {
      lease.connectFailed(new UpstreamOverloaded(address)); // a whole round of streams already waits
      return;
    }
    Waiter waiter = new Waiter(lease);
    waiting.addLast(waiter);
    dispatch();
  }

  @Override
  public void cancel(Lease lease) {
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.lease == lease) {
        it.remove();
        waiter.stopWaiting();
        return;
      }
    }
    if (http1 != null) {
      http1.cancel(lease);
    }
  }

  /**
   * A stream's exchange is over: both sides ended, so the stream closes by itself and its channel
   * with it. Closing the channel here would come before the codec closed the stream: it would send
   * a needless RST_STREAM, and count the stream out while the codec still counts it in.
   */
  @Override
  public void release(UpstreamConnection connection, boolean reusable) {
    // nothing to give back: the connection counts its streams as their channels close
  }

  @Override
  public void closed(UpstreamConnection connection) {
    // streams are counted by their connection (MultiplexedConnection#streamClosed)
  }

  @Override
  public void close() {
    closed = true;
    for (MultiplexedConnection connection : List.copyOf(connections)) {
      connection.drain();
    }
    if (http1 != null) {
      http1.close();
    }
  }

  /**
   * A stream ended or the server's limit changed: waiting tries may start, once the codec is done
   * with the closing stream (a stream opened within its close would still find it counted).
   */
  void streamEnded(MultiplexedConnection connection) {
    if (!waiting.isEmpty()) {
      loop.execute(this::dispatch);
    }
  }

  /** The server sent GOAWAY on {@code connection}: waiting and new tries go to other connections. */
  void goingAway(MultiplexedConnection connection) {
    LOG.debug("upstream {} sent GOAWAY: new streams go to another connection", address);
    dispatch();
  }

  void connectionClosed(MultiplexedConnection connection) {
    if (connections.remove(connection)) {
      counted.decrement();
    }
    dispatch();
  }

  /** Starts waiting tries where there is room, opening connections as needed. */
  private void dispatch() {
    while (!waiting.isEmpty()) {
      MultiplexedConnection room = withRoom();
      if (room == null) {
        break;
      }
      Waiter next = waiting.pollFirst();
      next.stopWaiting();
      start(room, next.lease);
    }
    if (!waiting.isEmpty() && !closed && connecting == 0 && live() < maxConnections) {
      connect();
    }
    if (!waiting.isEmpty() && connecting == 0) {
      // every connection is full: the tries wait briefly for a stream to end. (One waiting for a
      // connection being opened is bounded by the connect and handshake timeouts instead.)
      for (Waiter waiter : waiting) {
        if (waiter.expiry == null) {
          waiter.expiry = loop.schedule(() -> {
            if (waiting.remove(waiter)) {
              waiter.lease.connectFailed(new UpstreamOverloaded(address));
            }
          }, waitMillis, TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  private int live() {
    int live = 0;
    for (MultiplexedConnection connection : connections) {
      if (!connection.draining()) {
        live++;
      }
    }
    return live;
  }

  /** The connection with room and the fewest streams, so the load spreads over the connections. */
  private MultiplexedConnection withRoom() {
    MultiplexedConnection best = null;
    for (MultiplexedConnection connection : connections) {
      if (connection.hasRoom() && (best == null || connection.active() < best.active())) {
        best = connection;
      }
    }
    return best;
  }

  private void start(MultiplexedConnection connection, Lease lease) {
    UpstreamConnection stream = new UpstreamConnection(this, true);
    connection.open(stream).addListener(opened -> {
      if (opened.isSuccess()) {
        lease.acquired(stream);
      } else {
        lease.connectFailed(opened.cause());
      }
    });
  }

  private void connect() {
    connecting++;
    boolean secure = tls != null;
    MultiplexedConnection connection = new MultiplexedConnection(this, maxStreams, pingMillis);
    ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel channel) {
        if (secure) {
          channel.pipeline().addLast("tls", tls.newHttp2Handler(channel.alloc(), host, port));
        }
      }
    }).connect(host, port);
    connect.addListener((ChannelFutureListener) future -> {
      if (!future.isSuccess()) {
        connecting--;
        failWaiting(future.cause());
        return;
      }
      Channel channel = future.channel();
      SslHandler handshaking = secure ? channel.pipeline().get(SslHandler.class) : null;
      if (handshaking == null) {
        established(connection, channel);
        return;
      }
      handshaking.handshakeFuture().addListener(handshake -> {
        if (!handshake.isSuccess()) {
          connecting--;
          channel.close();
          UpstreamTlsException failure = new UpstreamTlsException(address, handshake.cause());
          LOG.warn("{}", failure.getMessage());
          failWaiting(failure);
          return;
        }
        String agreed = handshaking.applicationProtocol();
        if (ApplicationProtocolNames.HTTP_2.equals(agreed)) {
          established(connection, channel);
          return;
        }
        connecting--;
        channel.close();
        if (protocol == UpstreamProtocol.AUTO && http1 != null) {
          // the server speaks HTTP/1.1 only: this endpoint's tries use HTTP/1.1 connections from now on
          LOG.info("upstream {} did not agree to h2 by ALPN: using HTTP/1.1", address);
          http1Only = true;
          while (!waiting.isEmpty()) {
            Waiter waiter = waiting.pollFirst();
            waiter.stopWaiting();
            http1.acquire(waiter.lease);
          }
        } else {
          failWaiting(new IllegalStateException("upstream " + address + " did not agree to h2 by ALPN (agreed: "
              + (agreed == null ? "none" : agreed) + ")"));
        }
      });
    });
  }

  private void established(MultiplexedConnection connection, Channel channel) {
    connecting--;
    if (closed) {
      channel.close();
      failWaiting(new IllegalStateException("the gateway is stopping"));
      return;
    }
    connection.install(channel);
    connections.add(connection);
    counted.increment();
    dispatch();
  }

  /** A connect failed: the tries waiting for it fail (the exchange's retry policy decides what next). */
  private void failWaiting(Throwable cause) {
    while (!waiting.isEmpty()) {
      Waiter waiter = waiting.pollFirst();
      waiter.stopWaiting();
      waiter.lease.connectFailed(cause);
    }
    dispatch();
  }

  /** For tests and stats: connections open now. */
  int connections() {
    return connections.size();
  }
}
