package io.portico.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.ReferenceCountUtil;
import io.portico.server.Gateway;
import io.portico.testing.Await;
import io.portico.testing.Configs;
import io.portico.testing.Http;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PING keep-alive on HTTP/2 upstream connections ({@code http2.ping-interval}): a connection whose
 * PING goes unanswered for a whole interval is closed (a half-dead peer, a dropped NAT entry), one
 * whose PINGs are answered stays open while idle.
 */
class Http2PingTest {
  @TempDir
  Path dir;
  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  final AtomicInteger pings = new AtomicInteger();
  final AtomicInteger connections = new AtomicInteger();
  final AtomicBoolean closed = new AtomicBoolean();
  Channel server;
  Vertx vertx;
  Gateway gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      Await.result(gateway.shutdown(Duration.ofSeconds(1)));
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** An h2c server (prior knowledge) that answers every request 200 and acks PINGs only if told to. */
  private int startServer(boolean ackPings) throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            connections.incrementAndGet();
            ch.closeFuture().addListener(f -> closed.set(true));
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().autoAckPingFrame(false).build(),
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    try {
                      if (msg instanceof Http2PingFrame ping && !ping.ack()) {
                        pings.incrementAndGet();
                        if (ackPings) {
                          ctx.writeAndFlush(new DefaultHttp2PingFrame(ping.content(), true));
                        }
                      } else if (msg instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), true)
                            .stream(headers.stream()));
                      }
                    } finally {
                      ReferenceCountUtil.release(msg);
                    }
                  }
                });
          }
        }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  private int get() {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(gateway.port()));
    try {
      return Http.send(client, new RequestOptions().setURI("/")).status();
    } finally {
      Await.result(client.close());
    }
  }

  private void startGateway(int port) {
    vertx = Vertx.vertx();
    gateway = Await.result(Gateway.start(vertx, Configs.load(dir, """
        listen: { host: 127.0.0.1, port: 0, instances: 1 }
        upstreams:
          - name: h2
            endpoints: [127.0.0.1:%d]
            protocol: h2c
            http2: { ping-interval: 200ms }
        routes:
          - { name: all, upstream: h2 }
        """.formatted(port))));
  }

  @Test
  void aConnectionWhosePingGoesUnansweredIsClosed() throws InterruptedException {
    startGateway(startServer(false));

    assertThat(get()).isEqualTo(200);

    // the first PING after 200 ms, the connection closed at the next tick: well within 10 s
    await().atMost(Duration.ofSeconds(10)).untilTrue(closed);
    assertThat(pings.get()).isGreaterThanOrEqualTo(1);
    // and the next request gets a fresh connection
    assertThat(get()).isEqualTo(200);
    assertThat(connections.get()).isEqualTo(2);
  }

  @Test
  void aConnectionWhosePingsAreAnsweredStaysOpen() throws InterruptedException {
    startGateway(startServer(true));

    assertThat(get()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> pings.get() >= 3); // 3 intervals passed
    assertThat(closed.get()).isFalse();
    assertThat(get()).isEqualTo(200);
    assertThat(connections.get()).isEqualTo(1);
  }
}
