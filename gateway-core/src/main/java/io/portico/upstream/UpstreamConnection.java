package io.portico.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive HTTP/1.1 connection to an endpoint, carrying one exchange at a time, or one stream
 * of an HTTP/2 connection (behind Netty's stream-to-HTTP/1.1-objects codec, so the events are the
 * same; closing a stream that is still open resets it with {@code RST_STREAM CANCEL}). It writes the
 * request it is given and hands the answer's head, body pieces and end to the current
 * {@link Listener}; once both the request and the answer are complete it goes back to its pool, or
 * closes when either side asked to. Lives on its event loop.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  /** Receives what the connection reads for the current exchange. Called on the event loop. */
  public interface Listener {
    /** The answer's head (informational 1xx answers are skipped). */
    void head(HttpResponse response);

    /** A piece of the answer's body; the listener owns {@code content} and must release it. */
    void content(HttpContent content);

    /** The answer ended; {@code last} may carry the final body bytes (owned by the listener). */
    void end(LastHttpContent last);

    /** The connection failed or closed before the answer ended. */
    void failed(Throwable cause);

    /** The connection can take more request body again. */
    default void writable() {}
  }

  private final ConnectionPool pool;
  private final boolean stream;
  private boolean onUsedConnection;
  private Channel channel;
  private Listener listener;
  private boolean requestDone;
  private boolean responseDone;
  private boolean keepAlive;
  private boolean inHead = true;
  private int uses;
  /** When it went back to the pool ({@link System#nanoTime()}). */
  long idleSince;

  UpstreamConnection(ConnectionPool pool) {
    this(pool, false);
  }

  /** @param stream whether this is one stream of an HTTP/2 connection rather than a whole connection */
  UpstreamConnection(ConnectionPool pool, boolean stream) {
    this.pool = pool;
    this.stream = stream;
  }

  /** Whether this is one stream of an HTTP/2 connection (then closing it resets only the stream). */
  public boolean stream() {
    return stream;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.channel = ctx.channel();
  }

  /** Starts an exchange on this connection. */
  void start(Listener listener) {
    this.listener = listener;
    this.requestDone = false;
    this.responseDone = false;
    this.keepAlive = true;
    this.inHead = true;
    this.uses++;
  }

  /**
   * Whether this connection carried an exchange before the current one (for a stream: whether its
   * HTTP/2 connection carried streams before it, so it may have been closed by the server while
   * idle).
   */
  public boolean reused() {
    return uses > 1 || onUsedConnection;
  }

  /** For a stream: its HTTP/2 connection carried streams before this one. */
  void onUsedConnection() {
    onUsedConnection = true;
  }

  /** Writes a whole request (head and body) at once. */
  public void writeFull(HttpRequest head, ByteBuf body) {
    keepAlive = HttpUtil.isKeepAlive(head);
    channel.writeAndFlush(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(), body,
        head.headers(), EmptyHttpHeaders.INSTANCE), channel.voidPromise());
    requestSent();
  }

  /** Writes a request head; its body follows through {@link #writeContent} and {@link #writeLast}. */
  public void writeHead(HttpRequest head) {
    keepAlive = HttpUtil.isKeepAlive(head);
    channel.writeAndFlush(head, channel.voidPromise());
  }

  public void writeContent(ByteBuf content) {
    channel.writeAndFlush(new DefaultHttpContent(content), channel.voidPromise());
  }

  /** Ends the request body, with its last bytes when {@code tail} is not {@code null}. */
  public void writeLast(ByteBuf tail) {
    channel.writeAndFlush(tail == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(tail),
        channel.voidPromise());
    requestSent();
  }

  /** Whether the connection takes more request body without queueing. */
  public boolean isWritable() {
    return channel.isWritable();
  }

  /** Stops or restarts reading the answer (back-pressure from the client). */
  public void reading(boolean on) {
    channel.config().setAutoRead(on);
    if (on) {
      channel.read();
      if (stream) {
        channel.flush(); // the WINDOW_UPDATE that reading again gives back; outside a read, nothing else flushes it
      }
    }
  }

  /** Gives up on the current exchange: the connection is closed, never reused. */
  public void abort() {
    listener = null;
    keepAlive = false;
    channel.close();
  }

  boolean isActive() {
    return channel.isActive();
  }

  void close() {
    channel.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Listener current = listener;
    if (current == null || responseDone) {
      ReferenceCountUtil.release(msg); // nothing expects it: an answer after an abort
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (response.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        fail(response.decoderResult().cause());
        return;
      }
      inHead = response.status().code() < 200; // 1xx: informational, the real head follows
      if (!inHead) {
        keepAlive &= HttpUtil.isKeepAlive(response);
        current.head(response);
      }
    }
    if (msg instanceof HttpContent content) {
      if (inHead) {
        content.release(); // the end of an informational answer
      } else if (content instanceof LastHttpContent last) {
        responseDone = true;
        current.end(last);
        maybeRelease();
      } else {
        current.content(content);
      }
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable() && listener != null) {
      listener.writable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.closed(this);
    if (listener != null && !responseDone) {
      fail(new UpstreamClosedException());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(cause);
  }

  private void fail(Throwable cause) {
    Listener current = listener;
    listener = null;
    keepAlive = false;
    channel.close();
    if (current != null) {
      current.failed(cause);
    }
  }

  private void requestSent() {
    requestDone = true;
    maybeRelease();
  }

  private void maybeRelease() {
    if (requestDone && responseDone && listener != null) {
      listener = null;
      pool.release(this, keepAlive && channel.isActive());
    }
  }

  /** The connection closed before a complete answer. */
  static final class UpstreamClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UpstreamClosedException() {
      super("connection closed by the upstream", null, false, false);
    }
  }
}
