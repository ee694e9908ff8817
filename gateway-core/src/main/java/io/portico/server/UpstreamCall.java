package io.portico.server;

import io.portico.spi.Endpoint;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.portico.upstream.ConnectionPool;
import io.portico.upstream.ProxiedResponse;
import io.portico.upstream.RequestBody;
import io.portico.upstream.StreamedBody;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamAttempt;
import io.vertx.core.Future;

/**
 * The upstream call of one exchange, as handed to the interceptors: picks the endpoint, chooses how
 * the body goes (buffered by a plugin, streamed, or none) and makes the try. Made at most once.
 */
final class UpstreamCall {
  private final ProxyExchange exchange;
  private final Runnable onBodyTooLarge;
  private boolean made;
  private UpstreamAttempt attempt;
  private StreamedBody streamed;

  UpstreamCall(ProxyExchange exchange, Runnable onBodyTooLarge) {
    this.exchange = exchange;
    this.onBodyTooLarge = onBodyTooLarge;
  }

  Future<UpstreamResponse> attempt() {
    if (made) {
      return Future.failedFuture(new IllegalStateException("the upstream call may be made only once"));
    }
    made = true;
    CompiledRoute route = exchange.route;
    Upstream upstream = route.upstreamFor(exchange); // chosen once per exchange, kept for its retries
    RequestMirror.start(exchange);
    Endpoint endpoint = upstream.pick(exchange.loop.index, exchange);
    if (endpoint == null) {
      return Future.failedFuture(new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT, null,
          "upstream " + upstream.name() + " has no ready endpoint"));
    }
    exchange.trace.upstreamStarted();
    BodyReader reader = exchange.bodyReader;
    if (reader != null && reader.started()) {
      return reader.read().compose(body -> send(endpoint, RequestBody.buffered(body)));
    }
    return send(endpoint, streamingBody());
  }

  private RequestBody streamingBody() {
    if (!exchange.hasBody) {
      return RequestBody.NONE;
    }
    streamed = new StreamedBody(exchange.request, exchange.declaredLength,
        exchange.routeLimit() == Long.MAX_VALUE ? -1 : exchange.routeLimit(),
        RequestFraming.expectsContinue(exchange.request), onBodyTooLarge);
    return streamed;
  }

  private Future<UpstreamResponse> send(Endpoint endpoint, RequestBody body) {
    CompiledRoute route = exchange.route;
    ConnectionPool pool = exchange.loop.clients.pool(endpoint, route.upstreamFor(exchange).settings());
    attempt = new UpstreamAttempt(pool, route.timeoutMillis(), exchange.loop.deadlines);
    exchange.trace.endpoint = attempt.endpoint();
    String query = exchange.query();
    String uri = query == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + query;
    return attempt.send(exchange.context, exchange.method(), uri, exchange.request.authority(), exchange, body);
  }

  /** The upstream's answer if one arrived, else {@code null}. */
  ProxiedResponse obtained() {
    return attempt == null ? null : attempt.response();
  }

  /** Stops streaming the request body (the answer no longer needs it). */
  void stopBody() {
    if (streamed != null) {
      streamed.stop(true);
    }
  }

  /** Abandons the try and the body relay. */
  void abort() {
    if (attempt != null) {
      attempt.abort();
    }
    stopBody();
  }

  void recordBytes() {
    if (streamed != null) {
      exchange.trace.bytesReceived = streamed.received();
    }
  }
}
