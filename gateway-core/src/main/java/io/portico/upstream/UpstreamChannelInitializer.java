package io.portico.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

/**
 * The pipeline of an upstream connection: Netty's HTTP/1.1 client codec (which pairs answers with
 * requests, so answers to HEAD carry no body) and the {@link UpstreamConnection}. Answer headers are
 * decoded straight into Vert.x header maps, so they can be handed on without conversion.
 */
final class UpstreamChannelInitializer extends ChannelInitializer<Channel> {
  private static final int HEAD_LIMIT = 64 * 1024;
  private static final HttpHeadersFactory VERTX_HEADERS = new HttpHeadersFactory() {
    @Override
    public HttpHeaders newHeaders() {
      return HeadersMultiMap.httpHeaders();
    }

    @Override
    public HttpHeaders newEmptyHeaders() {
      return HeadersMultiMap.httpHeaders();
    }
  };
  private static final HttpDecoderConfig DECODER = new HttpDecoderConfig()
      .setMaxInitialLineLength(HEAD_LIMIT)
      .setMaxHeaderSize(HEAD_LIMIT)
      .setMaxChunkSize(64 * 1024)
      .setHeadersFactory(VERTX_HEADERS);

  private final UpstreamConnection connection;
  private final UpstreamTls tls;
  private final String host;
  private final int port;

  UpstreamChannelInitializer(UpstreamConnection connection) {
    this(connection, null, null, 0);
  }

  /** With TLS to {@code host:port} first in the pipeline when {@code tls} is not {@code null}. */
  UpstreamChannelInitializer(UpstreamConnection connection, UpstreamTls tls, String host, int port) {
    this.connection = connection;
    this.tls = tls;
    this.host = host;
    this.port = port;
  }

  /**
   * A header map that skips Vert.x's per-header check as headers are copied in:
   * {@link UpstreamAttempt} checks the finished request head once with {@link FieldSyntax} before
   * it is written (a decoded HTTP/2 request and a plugin's map are not checked for CR, LF and NUL on
   * their own). Answers from upstreams are checked as they are decoded, and their heads once more
   * before they are relayed. No validator at all rather than one that does nothing: the map then
   * makes no call per header.
   */
  static HeadersMultiMap uncheckedHeaders() {
    return HeadersMultiMap.httpHeaders(null);
  }

  @Override
  protected void initChannel(Channel channel) {
    if (tls != null) {
      channel.pipeline().addLast("tls", tls.newHandler(channel.alloc(), host, port));
    }
    channel.pipeline().addLast("codec", new HttpClientCodec(DECODER, false, false));
    channel.pipeline().addLast("connection", connection);
  }
}
