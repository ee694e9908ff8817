package io.portico.server.framing;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Checks every HEADERS block a client sends on an HTTP/2 connection with {@link Http2FieldRules}
 * before Vert.x sees it, and resets the stream with {@code PROTOCOL_ERROR} when the block is
 * malformed (RFC 9113 §8.1.1): the request never exists for the gateway.
 *
 * <p>It wraps the frame listener Vert.x installs on the connection's decoder. Vert.x installs its
 * own listener when the client's first SETTINGS frame arrives and only then announces the
 * connection, so the connection handler of the server is the place to wrap it: every later frame,
 * on h2 over TLS, h2c with prior knowledge and h2c after an upgrade alike, goes through this guard.
 * The request that carried an h2c upgrade arrived as HTTP/1.1 and went through the HTTP/1 checks.
 */
public final class Http2FieldGuard extends Http2FrameListenerDecorator {
  private final Http2Connection connection;
  /** Set on a stream once its head was checked: a later block is its trailer section. */
  private final Http2Connection.PropertyKey headSeen;

  private Http2FieldGuard(Http2FrameListener listener, Http2Connection connection) {
    super(listener);
    this.connection = connection;
    this.headSeen = connection.newKey();
  }

  /**
   * Puts the guard in front of the frame listener of {@code channel}'s HTTP/2 handler; does nothing
   * on an HTTP/1 channel or when the guard is already there.
   */
  public static void install(Channel channel) {
    Http2ConnectionHandler handler = channel.pipeline().get(Http2ConnectionHandler.class);
    if (handler == null) {
      return;
    }
    Http2ConnectionDecoder decoder = handler.decoder();
    Http2FrameListener current = decoder.frameListener();
    if (!(current instanceof Http2FieldGuard)) {
      decoder.frameListener(new Http2FieldGuard(current, decoder.connection()));
    }
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
      boolean endOfStream) throws Http2Exception {
    check(streamId, headers);
    super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
  }

  @Override
  public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
      short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
    check(streamId, headers);
    super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
  }

  private void check(int streamId, Http2Headers headers) throws Http2Exception {
    Http2Stream stream = connection.stream(streamId);
    // not Http2Stream.isTrailersReceived(): a head that ends the stream sets it as well
    boolean trailers = stream != null && stream.getProperty(headSeen) != null;
    if (stream != null && !trailers) {
      stream.setProperty(headSeen, Boolean.TRUE);
    }
    String problem = Http2FieldRules.problem(headers, trailers);
    if (problem != null) {
      throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR, "malformed request: %s", problem);
    }
  }
}
