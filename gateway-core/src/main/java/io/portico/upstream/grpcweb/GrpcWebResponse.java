package io.portico.upstream.grpcweb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.portico.upstream.ResponseSink;

/**
 * Turns a gRPC answer body into a gRPC-Web one on its way to the client: the messages pass as
 * they are (base64 encoded, chunk by chunk, for {@code -text}), and the upstream's trailers become
 * a {@link TrailerFrame} at the end of the body, so the client never gets HTTP trailers. Independent
 * of the upstream's protocol: it only sees the body and the trailers of the end.
 */
public final class GrpcWebResponse implements ResponseSink {
  private final ResponseSink next;
  private final Base64Encoder encoder;

  /**
   * @param next where the translated body goes (the relay to the client)
   * @param text whether the client asked for {@code application/grpc-web-text}
   */
  public GrpcWebResponse(ResponseSink next, boolean text) {
    this.next = next;
    this.encoder = text ? new Base64Encoder() : null;
  }

  @Override
  public void content(HttpContent content) {
    if (encoder == null) {
      next.content(content);
      return;
    }
    byte[] encoded;
    try {
      encoded = encoder.encode(content.content(), false);
    } finally {
      content.release();
    }
    if (encoded.length > 0) {
      next.content(new DefaultHttpContent(Unpooled.wrappedBuffer(encoded)));
    }
  }

  @Override
  public void end(LastHttpContent last) {
    ByteBuf tail;
    try {
      HttpHeaders trailers = last.trailingHeaders();
      // a trailers-only answer (status in the head) ends without trailers: nothing to append
      ByteBuf frame = trailers.isEmpty() ? Unpooled.EMPTY_BUFFER : TrailerFrame.of(trailers);
      ByteBuf bytes = last.content();
      if (encoder != null) {
        ByteBuf all = Unpooled.wrappedBuffer(bytes.retainedDuplicate(), frame);
        try {
          tail = Unpooled.wrappedBuffer(encoder.encode(all, true));
        } finally {
          all.release();
        }
      } else {
        tail = Unpooled.buffer(bytes.readableBytes() + frame.readableBytes()).writeBytes(bytes).writeBytes(frame);
        frame.release();
      }
    } finally {
      last.release();
    }
    next.end(new DefaultLastHttpContent(tail));
  }

  @Override
  public void failed(Throwable cause) {
    next.failed(cause);
  }
}
