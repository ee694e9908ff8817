package io.portico.exchange;

import io.portico.upstream.grpcweb.GrpcWebMode;
import io.portico.upstream.grpcweb.GrpcWebRequest;
import io.portico.upstream.grpcweb.GrpcWebResponse;
import io.portico.runtime.RunningRoute;
import io.portico.upstream.ResponseSink;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.UnaryOperator;

/**
 * gRPC-Web on a route with {@code grpc-web: true}: the request goes upstream as gRPC
 * ({@code content-type: application/grpc}, {@code te: trailers}, binary frames: a {@code -text}
 * body is decoded as it streams), and a gRPC answer goes back as gRPC-Web (content type, body
 * through {@link GrpcWebResponse}). Requests on other routes, and other requests, are untouched.
 */
final class GrpcWebExchange {
  private GrpcWebExchange() {}

  /** The mode of a gRPC-Web request on a gRPC-Web route, else {@code null}. */
  static GrpcWebMode mode(RunningRoute route, HttpServerRequest request) {
    return route.config().grpcWeb() ? GrpcWebMode.of(request.getHeader(HttpHeaders.CONTENT_TYPE)) : null;
  }

  /**
   * The exchange to run for a request matched to {@code route}: {@code exchange} itself, or for a
   * {@code -text} request one whose body is decoded from base64 as it is read.
   */
  static ProxyExchange translated(ProxyExchange exchange, RunningRoute route) {
    GrpcWebMode mode = mode(route, exchange.request);
    if (mode == null || !mode.text()) {
      return exchange;
    }
    HttpServerRequest decoding = GrpcWebRequest.decoding(exchange.request);
    if (decoding == exchange.request) {
      return exchange;
    }
    return new ProxyExchange(decoding, exchange.loop, exchange.snapshot, exchange.context, exchange.requestId(), exchange.path());
  }

  /** Makes the upstream request a gRPC one; returns the exchange's mode, {@code null} when it is not gRPC-Web. */
  static GrpcWebMode start(ProxyExchange exchange) {
    GrpcWebMode mode = mode(exchange.route, exchange.request);
    if (mode != null) {
      MultiMap upstream = exchange.requestHeaders();
      upstream.set(HttpHeaders.CONTENT_TYPE, mode.upstreamContentType());
      upstream.set("te", "trailers"); // gRPC requires it; the client's TE is hop-by-hop and never passes
    }
    return mode;
  }

  /**
   * Puts the gRPC-Web content type on a gRPC answer's head (from the upstream or a gateway reply)
   * and returns how its body is to be translated, or {@code null} for an answer that is not gRPC
   * (it goes back as it is).
   */
  static UnaryOperator<ResponseSink> answer(ProxyExchange exchange, GrpcWebMode mode) {
    MultiMap headers = exchange.responseHeaders();
    String type = mode.clientContentType(headers.get(HttpHeaders.CONTENT_TYPE));
    if (type == null) {
      return null;
    }
    headers.set(HttpHeaders.CONTENT_TYPE, type);
    headers.remove(HttpHeaders.CONTENT_LENGTH); // the trailer frame (and base64) change the length
    return sink -> new GrpcWebResponse(sink, mode.text());
  }
}
