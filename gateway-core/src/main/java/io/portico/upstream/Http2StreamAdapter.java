package io.portico.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import java.util.Map;

/**
 * Sits between Netty's HTTP/2 stream codec and the {@link UpstreamConnection} of one stream, so the
 * connection sees the same events as on HTTP/1.1: answer heads get their headers in a Vert.x map
 * (without the codec's {@code x-http2-stream-id}), an answer that is a single HEADERS frame (a
 * trailers-only gRPC answer) becomes a head and an empty end, and a reset or a GOAWAY that leaves
 * the stream unprocessed becomes a failure that says whether the request may go again.
 */
final class Http2StreamAdapter extends ChannelInboundHandlerAdapter {
  private static final String STREAM_ID = HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text().toString();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse response) {
      HeadersMultiMap headers = UpstreamChannelInitializer.uncheckedHeaders();
      copy(response.headers(), headers);
      ctx.fireChannelRead(new DefaultHttpResponse(response.protocolVersion(), response.status(), headers));
      if (response instanceof FullHttpResponse full) {
        // HEADERS with END_STREAM: the whole answer (gRPC's trailers-only form) ends here
        ctx.fireChannelRead(new DefaultLastHttpContent(full.content()));
      }
      return;
    }
    if (msg instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
      HeadersMultiMap trailers = UpstreamChannelInitializer.uncheckedHeaders();
      copy(last.trailingHeaders(), trailers);
      ctx.fireChannelRead(new DefaultLastHttpContent(last.content(), trailers));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    try {
      if (event instanceof Http2ResetFrame reset) {
        Http2Error error = Http2Error.valueOf(reset.errorCode());
        String name = error != null ? error.name() : Long.toString(reset.errorCode());
        ctx.fireExceptionCaught(error == Http2Error.REFUSED_STREAM
            ? new Http2StreamRefused("stream refused by the upstream") : new Http2StreamReset(name));
      } else if (event instanceof Http2GoAwayFrame) {
        // sent to the streams above the GOAWAY's last stream id only: the upstream never saw them
        ctx.fireExceptionCaught(new Http2StreamRefused("the upstream went away before processing the stream"));
      } else {
        ctx.fireUserEventTriggered(ReferenceCountUtil.retain(event));
      }
    } finally {
      ReferenceCountUtil.release(event);
    }
  }

  private static void copy(HttpHeaders from, HeadersMultiMap to) {
    for (Map.Entry<String, String> header : from) {
      if (!header.getKey().equalsIgnoreCase(STREAM_ID)) {
        to.add(header.getKey(), header.getValue());
      }
    }
  }
}
