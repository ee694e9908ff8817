package io.portico.server.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.portico.runtime.ListenerLimits;
import io.portico.spi.Reply;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sits in front of Netty's HTTP/1 decoder on every client connection and passes bytes on only once
 * {@link FramingScanner} found their framing unambiguous. Netty repairs some ambiguous requests
 * silently (it drops {@code Content-Length} when {@code Transfer-Encoding} is present and joins
 * obs-fold lines), so a check after decoding cannot see them.
 *
 * <p>An unfinished request head is held back until it is complete, which gives the head deadline:
 * a head that is not complete within the timeout closes the connection. A rejected request is
 * never passed on: in its place the decoder gets a request it is bound to refuse, so the gateway's
 * invalid-request handler answers in order with the reason recorded in {@link #VIOLATION}, then
 * closes. After an HTTP/2 preface or a successful upgrade the guard leaves the pipeline.
 */
public final class RequestFramingGuard extends ChannelDuplexHandler {
  /** Why the guard rejected a request on this channel. */
  public static final AttributeKey<Reply> VIOLATION = AttributeKey.valueOf("portico.framing.violation");

  private static final byte[] REFUSED_REQUEST =
      "GET / HTTP/1.1\r\nportico rejected: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SWITCHING = "HTTP/1.1 101".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_HELD_AFTER_UPGRADE = 64 * 1024;

  private final FramingScanner scanner;
  private final long headTimeoutMillis;
  private ByteBuf held;
  private ScheduledFuture<?> deadline;
  private boolean upgradePending;
  private boolean stopped;

  public RequestFramingGuard(ListenerLimits limits) {
    this.scanner = new FramingScanner(limits.maxRequestLine(), limits.maxHeaderSize(), limits.maxHeaders());
    this.headTimeoutMillis = limits.headTimeoutMillis();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    armDeadline(ctx); // the first head is due from the moment the connection is up
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
    if (held != null) {
      held.release();
      held = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf in = (ByteBuf) msg;
    if (stopped) {
      in.release();
      return;
    }
    if (upgradePending) {
      holdAfterUpgrade(ctx, in);
      return;
    }
    int scanned = held == null ? 0 : held.readableBytes();
    ByteBuf buf = held == null ? in : join(ctx, held, in);
    held = null;
    scan(ctx, buf, buf.readerIndex() + scanned, scanned > 0 ? buf.readerIndex() : -1);
  }

  /** Scans {@code buf} from {@code from} and passes on what is settled; releases {@code buf}. */
  private void scan(ChannelHandlerContext ctx, ByteBuf buf, int from, int messageStart) {
    int start = buf.readerIndex();
    int end = buf.writerIndex();
    int pos = from;
    while (pos < end) {
      pos = scanner.scan(buf, pos, end);
      switch (scanner.event()) {
        case FramingScanner.HEAD_START:
          messageStart = pos - 1;
          break;
        case FramingScanner.HEAD_END:
          cancelDeadline();
          break;
        case FramingScanner.MESSAGE_END:
          messageStart = -1;
          cancelDeadline();
          break;
        case FramingScanner.PREFACE:
          leave(ctx);
          passRest(ctx, buf, start);
          return;
        case FramingScanner.UPGRADE:
          upgradePending = true; // before passing: the answer may be written while the request is decoded
          cancelDeadline();
          pass(ctx, buf, start, pos);
          if (pos < end) {
            held = ctx.alloc().buffer(end - pos).writeBytes(buf, pos, end - pos);
          }
          buf.release();
          return;
        case FramingScanner.VIOLATION:
          reject(ctx, buf, start, messageStart);
          return;
        default:
          break;
      }
    }
    if (scanner.inHead()) {
      pass(ctx, buf, start, messageStart);
      held = ctx.alloc().buffer(end - messageStart).writeBytes(buf, messageStart, end - messageStart);
      buf.release();
      armDeadline(ctx);
    } else {
      passRest(ctx, buf, start);
    }
  }

  /** Passes {@code buf} on from {@code start} to its end, handing over the reference. */
  private static void passRest(ChannelHandlerContext ctx, ByteBuf buf, int start) {
    if (start == buf.readerIndex()) {
      ctx.fireChannelRead(buf);
    } else {
      pass(ctx, buf, start, buf.writerIndex());
      buf.release();
    }
  }

  private void reject(ChannelHandlerContext ctx, ByteBuf buf, int start, int messageStart) {
    stopped = true;
    cancelDeadline();
    if (messageStart >= 0) {
      pass(ctx, buf, start, messageStart);
      buf.release();
      ctx.channel().attr(VIOLATION).set(scanner.violation());
      ctx.fireChannelRead(Unpooled.wrappedBuffer(REFUSED_REQUEST));
    } else {
      // the head of this request went on in an earlier read: the body is what is broken, and the
      // only safe answer left is to cut the connection (the upstream request is reset with it)
      buf.release();
      ctx.close();
    }
  }

  private void holdAfterUpgrade(ChannelHandlerContext ctx, ByteBuf in) {
    held = held == null ? in : join(ctx, held, in);
    if (held.readableBytes() > MAX_HELD_AFTER_UPGRADE) {
      stopped = true;
      ctx.close();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (upgradePending && msg instanceof ByteBuf && ((ByteBuf) msg).readableBytes() >= SWITCHING.length) {
      ByteBuf out = (ByteBuf) msg;
      boolean switched = true;
      for (int i = 0; i < SWITCHING.length && switched; i++) {
        switched = out.getByte(out.readerIndex() + i) == SWITCHING[i];
      }
      boolean upgraded = switched;
      // decide after this write: reads that arrive meanwhile keep being held, in order
      ctx.executor().execute(() -> upgradeDecided(ctx, upgraded));
    }
    ctx.write(msg, promise);
  }

  private void upgradeDecided(ChannelHandlerContext ctx, boolean upgraded) {
    if (!upgradePending || ctx.isRemoved()) {
      return;
    }
    upgradePending = false;
    ByteBuf pending = held;
    held = null;
    if (!upgraded) {
      scanner.resumeAfterDeclinedUpgrade();
    }
    if (pending != null) {
      if (upgraded) {
        ctx.fireChannelRead(pending);
      } else {
        scan(ctx, pending, pending.readerIndex(), -1);
      }
      // this runs as a task, not in a read of the channel: Vert.x flushes what a connection writes
      // while it reads only once that read completes, so without this the answers to the bytes
      // held here (a tunnel's first frames) would wait for the client's next read
      ctx.fireChannelReadComplete();
    }
    if (upgraded) {
      leave(ctx);
    }
  }

  private static void pass(ChannelHandlerContext ctx, ByteBuf buf, int from, int to) {
    if (to > from) {
      ctx.fireChannelRead(buf.retainedSlice(from, to - from));
    }
  }

  private static ByteBuf join(ChannelHandlerContext ctx, ByteBuf first, ByteBuf second) {
    ByteBuf joined = ctx.alloc().buffer(first.readableBytes() + second.readableBytes());
    joined.writeBytes(first).writeBytes(second);
    first.release();
    second.release();
    return joined;
  }

  private void leave(ChannelHandlerContext ctx) {
    stopped = true;
    ctx.pipeline().remove(this);
  }

  private void armDeadline(ChannelHandlerContext ctx) {
    if (deadline == null && headTimeoutMillis > 0) {
      deadline = ctx.executor().schedule(() -> {
        deadline = null;
        if (!stopped && !upgradePending) {
          stopped = true;
          ctx.close();
        }
      }, headTimeoutMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
