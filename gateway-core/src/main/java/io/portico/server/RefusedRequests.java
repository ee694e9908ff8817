package io.portico.server;

import io.portico.exchange.ErrorCatalog;
import io.portico.exchange.Loop;
import io.portico.server.framing.RequestFramingGuard;
import io.portico.spi.Reply;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Answers the requests that never become exchanges: those the HTTP decoder refused, and the
 * stand-ins for those the framing guard refused. The answer names the reason (400, 414 or 431)
 * and the connection closes after it, since its framing can no longer be trusted.
 */
final class RefusedRequests {
  private final Loop loop;

  RefusedRequests(Loop loop) {
    this.loop = loop;
  }

  void handle(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    Reply reason = null;
    if (connection instanceof ConnectionBase base) {
      reason = base.channel().attr(RequestFramingGuard.VIOLATION).get();
    }
    if (reason == null) {
      reason = forDecoderFailure(request.decoderResult().cause());
    }
    HttpServerResponse response = request.response();
    response.headers().set("connection", "close");
    response.setStatusCode(reason.status());
    response.headers().set("content-type", "application/json");
    response.end(ErrorCatalog.render(reason, loop.nextRequestId())).onComplete(ar -> connection.close());
  }

  /** The answer for a request head the HTTP decoder rejected. */
  static Reply forDecoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return ErrorCatalog.URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return ErrorCatalog.HEADERS_TOO_LARGE;
    }
    return ErrorCatalog.BAD_REQUEST;
  }
}
