package io.portico.server.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.portico.runtime.ListenerLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The guard around an upgrade: bytes the client sends after its upgrade request and before the
 * gateway's answer is decided are held, then passed on as a read of their own that completes.
 */
class RequestFramingGuardTest {
  static final String UPGRADE = "GET /live HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
      + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
  /** A masked text frame "hello", as a client sends it the moment it reads the 101. */
  static final byte[] FRAME = {(byte) 0x81, (byte) 0x85, 1, 2, 3, 4, 'h' ^ 1, 'e' ^ 2, 'l' ^ 3, 'l' ^ 4, 'o' ^ 1};

  /** What reached the handler after the guard, in order: "read N" (bytes) and "complete". */
  final List<String> seen = new ArrayList<>();
  final EmbeddedChannel channel = new EmbeddedChannel(
      // keeps the answer from the channel itself, which would run the guard's decision at once
      new ChannelOutboundHandlerAdapter() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
          ReferenceCountUtil.release(msg);
          promise.setSuccess();
        }
      },
      new RequestFramingGuard(new ListenerLimits(4096, 8192, 100, 0)),
      new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          ByteBuf bytes = (ByteBuf) msg;
          seen.add("read " + bytes.readableBytes());
          bytes.release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
          seen.add("complete");
        }
      });

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }

  /**
   * The upgrade request arrives, the gateway writes {@code answer}, and {@code early} arrives in a
   * read that ends before the guard's decision on the answer has run.
   */
  void answerWithBytesInBetween(String answer, ByteBuf early) {
    channel.writeInbound(ascii(UPGRADE));
    assertThat(seen).containsExactly("read " + UPGRADE.length(), "complete");
    seen.clear();
    channel.pipeline().write(ascii(answer)); // the guard decides in a task
    channel.pipeline().fireChannelRead(early);
    assertThat(seen).as("held until the answer is decided").isEmpty();
    channel.pipeline().fireChannelReadComplete(); // then the loop runs its tasks, the decision among them
    channel.runPendingTasks();
  }

  @Test
  void bytesHeldAcrossASuccessfulUpgradeArriveAsACompleteRead() {
    answerWithBytesInBetween("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        Unpooled.wrappedBuffer(FRAME));

    // without the last completion, Vert.x would keep the tunnel's answers to this frame unflushed
    assertThat(seen).containsExactly("complete", "read " + FRAME.length, "complete");
    assertThat(channel.pipeline().get(RequestFramingGuard.class)).as("the guard left after the upgrade").isNull();
  }

  @Test
  void aRequestHeldAcrossADeclinedUpgradeIsScannedAndArrivesAsACompleteRead() {
    String next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    answerWithBytesInBetween("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", ascii(next));

    assertThat(seen).containsExactly("complete", "read " + next.length(), "complete");
    assertThat(channel.pipeline().get(RequestFramingGuard.class)).as("still guarding HTTP/1").isNotNull();
  }

  @Test
  void anUpgradeWithNothingHeldAddsNoRead() {
    channel.writeInbound(ascii(UPGRADE));
    seen.clear();
    channel.pipeline().write(ascii("HTTP/1.1 101 Switching Protocols\r\n\r\n"));
    channel.runPendingTasks();

    assertThat(seen).isEmpty();
  }
}
