package io.portico.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to an endpoint, carrying many exchanges at once, each on a stream of its
 * own. It counts the streams open, learns the server's stream limit from its SETTINGS, stops taking
 * new streams when the server sends GOAWAY (the streams in flight finish; the connection closes
 * once the last one did), and sends a PING every interval, closing the connection when the previous
 * one went unanswered. Lives on its event loop.
 */
final class MultiplexedConnection extends ChannelInboundHandlerAdapter {
  /** Stream flow-control window: what one stream may have in flight unread. */
  private static final int STREAM_WINDOW = 64 * 1024;
  /** Connection window: enough for many streams, so one paused stream never stalls the others. */
  private static final int MAX_CONNECTION_WINDOW = 16 * 1024 * 1024;

  private final Http2ConnectionPool pool;
  private final int maxStreams;
  private final long pingMillis;
  private Channel channel;
  private Http2StreamChannelBootstrap streams;
  private long peerMaxStreams = Long.MAX_VALUE;
  private int active;
  private long opened;
  private boolean draining;
  private boolean pingOutstanding;
  private ScheduledFuture<?> pinger;

  MultiplexedConnection(Http2ConnectionPool pool, int maxStreams, long pingMillis) {
    this.pool = pool;
    this.maxStreams = maxStreams;
    this.pingMillis = pingMillis;
  }

  /** Turns {@code connected} (TCP, or TLS with h2 agreed) into an HTTP/2 connection with this handler last. */
  void install(Channel connected) {
    this.channel = connected;
    connected.pipeline().addLast("h2", Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW))
        .build());
    // streams the server opens (pushes, which are off) are refused by the multiplexer's default
    connected.pipeline().addLast("streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
    connected.pipeline().addLast("connection", this);
    streams = new Http2StreamChannelBootstrap(connected);
    int connectionWindow = (int) Math.min(MAX_CONNECTION_WINDOW, (long) STREAM_WINDOW * maxStreams);
    if (connectionWindow > 65_535) {
      connected.writeAndFlush(new DefaultHttp2WindowUpdateFrame(connectionWindow - 65_535), connected.voidPromise());
    }
    if (pingMillis > 0) {
      pinger = connected.eventLoop().scheduleAtFixedRate(this::ping, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
    }
  }

  /** Whether a new stream may start here now. */
  boolean hasRoom() {
    return !draining && channel.isActive() && active < Math.min(maxStreams, peerMaxStreams);
  }

  boolean draining() {
    return draining;
  }

  int active() {
    return active;
  }

  /**
   * Opens a stream carrying {@code connection}'s exchange; completes once it can be written to.
   * The stream's pipeline: Netty's HTTP/2-to-HTTP/1.1 object codec, the adapter, the connection.
   */
  Future<Http2StreamChannel> open(UpstreamConnection connection) {
    if (opened++ > 0) {
      connection.onUsedConnection(); // an idempotent request may go again if this connection turns out dead
    }
    active++;
    Future<Http2StreamChannel> opened = streams.handler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast("codec", new Http2StreamFrameToHttpObjectCodec(false, false));
        stream.pipeline().addLast("adapter", new Http2StreamAdapter());
        stream.pipeline().addLast("connection", connection);
      }
    }).open();
    opened.addListener(future -> {
      if (future.isSuccess()) {
        ((Http2StreamChannel) future.getNow()).closeFuture().addListener(closed -> streamClosed());
      } else {
        streamClosed();
      }
    });
    return opened;
  }

  private void streamClosed() {
    active--;
    if (draining && active == 0) {
      channel.close(); // the last stream the server still serves here ended
    }
    pool.streamEnded(this);
  }

  /** Takes no new streams and closes once the open ones ended (the pool is closing). */
  void drain() {
    draining = true;
    if (active == 0) {
      channel.close();
    }
  }

  private void ping() {
    if (pingOutstanding) {
      // the server did not answer the last PING within a whole interval: the connection is dead
      channel.close();
      return;
    }
    pingOutstanding = true;
    channel.writeAndFlush(new DefaultHttp2PingFrame(System.nanoTime()), channel.voidPromise());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof Http2SettingsFrame settings) {
        Long limit = settings.settings().maxConcurrentStreams();
        if (limit != null) {
          peerMaxStreams = limit;
          pool.streamEnded(this); // room may have changed either way
        }
      } else if (msg instanceof Http2GoAwayFrame) {
        // in-flight streams finish (those the server did not take fail as refused, and go again);
        // new ones go to another connection
        boolean first = !draining;
        drain();
        if (first) {
          pool.goingAway(this);
        }
      } else if (msg instanceof Http2PingFrame ping && ping.ack()) {
        pingOutstanding = false;
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    draining = true;
    if (pinger != null) {
      pinger.cancel(false);
    }
    pool.connectionClosed(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a connection error: its streams fail through their own channels
  }
}
