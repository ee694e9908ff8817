package io.portico.exchange;

import io.portico.grpc.GrpcAnswers;
import io.portico.spi.Reply;
import io.portico.upstream.HeaderCopy;
import io.portico.upstream.HeaderPolicy;
import io.portico.upstream.ProxiedResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Map;

/**
 * Puts the answer's head on the client response (from the upstream or from a {@link Reply}) and
 * writes it. The response's own header map is the one plugins edit in {@code onResponse}.
 */
final class AnswerWriter {
  private static final String JSON = "application/json";

  private AnswerWriter() {}

  /** Makes {@code reply} the answer: status and headers, before the response phase. */
  static void useReply(ProxyExchange exchange, Reply reply) {
    if (exchange.grpc != null && GrpcAnswers.translates(reply)) {
      useGrpcReply(exchange, reply);
      return;
    }
    exchange.answeredWith(reply.status());
    MultiMap headers = exchange.responseHeaders();
    headers.clear();
    List<Map.Entry<String, String>> replyHeaders = reply.headers();
    for (int i = 0; i < replyHeaders.size(); i++) {
      headers.add(replyHeaders.get(i).getKey(), replyHeaders.get(i).getValue());
    }
    if (reply.error() != null) {
      exchange.trace.errorCode(reply.error());
      if (reply.body() == null) {
        headers.set("content-type", JSON);
      }
    }
  }

  /** A gRPC call gets the reply as a trailers-only answer (HTTP 200, the status in the head). */
  private static void useGrpcReply(ProxyExchange exchange, Reply reply) {
    exchange.answeredWith(200);
    exchange.responseHeaders().clear();
    exchange.grpc.status(GrpcAnswers.writeHead(reply, exchange.responseHeaders()));
    if (reply.error() != null) {
      exchange.trace.errorCode(reply.error());
    }
  }

  /** Makes the upstream's answer head the answer, without its hop-by-hop headers. */
  static void useUpstream(ProxyExchange exchange, ProxiedResponse response) {
    exchange.answeredWith(response.status());
    MultiMap headers = exchange.responseHeaders();
    headers.clear();
    HeaderPolicy.copyResponseHeaders(response.headers(), headers);
    if (exchange.grpc != null) {
      exchange.grpc.upstreamHead(response.headers());
    }
  }

  /** Writes a reply answer whole. */
  static io.vertx.core.Future<Void> writeReply(ProxyExchange exchange, Reply reply) {
    HttpServerResponse response = finishHead(exchange);
    if (exchange.grpc != null && GrpcAnswers.translates(reply)) {
      return response.end(); // trailers-only: on HTTP/2 one HEADERS frame that ends the stream
    }
    Buffer body = reply.body();
    if (body == null && reply.error() != null) {
      body = ErrorCatalog.render(reply, exchange.requestId());
    }
    if (body == null || exchange.method() == HttpMethod.HEAD) {
      return response.end();
    }
    exchange.trace.bytesSent(body.length());
    return response.end(body);
  }

  /** Completes the head of an upstream answer; the body is relayed after. */
  static HttpServerResponse startUpstreamBody(ProxyExchange exchange) {
    HttpServerResponse response = finishHead(exchange);
    if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH) && mayHaveBody(exchange)) {
      response.setChunked(true);
    }
    return response;
  }

  /**
   * Whether the client connection must close after this answer: a request body left unread
   * cannot be skipped on HTTP/1, and a draining gateway closes connections as answers finish.
   */
  static boolean closesConnection(ProxyExchange exchange) {
    HttpServerRequest request = exchange.request;
    if (request.version() == HttpVersion.HTTP_2) {
      return false;
    }
    // a request without a body may not have seen its end yet, yet has nothing left to skip
    return (exchange.hasBody && !request.isEnded()) || exchange.loop.runtime.draining();
  }

  private static HttpServerResponse finishHead(ProxyExchange exchange) {
    HttpServerResponse response = exchange.request.response();
    response.setStatusCode(exchange.status());
    MultiMap additional = exchange.additionalHeadersOrNull();
    if (additional != null) {
      HeaderCopy.setAll(additional, response.headers());
    }
    if (closesConnection(exchange)) {
      response.headers().set("connection", "close");
    }
    return response;
  }

  private static boolean mayHaveBody(ProxyExchange exchange) {
    int status = exchange.status();
    return exchange.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
