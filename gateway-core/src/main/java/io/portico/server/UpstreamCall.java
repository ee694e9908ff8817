package io.portico.server;

import io.portico.balance.Balancer;
import io.portico.endpoint.EndpointSet;
import io.portico.health.EndpointState;
import io.portico.spi.Endpoint;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.portico.upstream.ConnectionPool;
import io.portico.upstream.ProxiedResponse;
import io.portico.upstream.RequestBody;
import io.portico.upstream.StreamedBody;
import io.portico.upstream.UnsafeHeaderException;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamAttempt;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream call of one exchange, as handed to the interceptors: chooses how the body goes
 * (buffered by a plugin, streamed, or none), then makes tries until one answers or the route's
 * retry policy says stop. Each try picks an endpoint (a retry one not tried yet when there is one),
 * tells the balancer and the endpoint's health what came of it, and is bounded by the per-try
 * timeout within what is left of the route's timeout. Made at most once.
 */
final class UpstreamCall {
  /**
   * A retryable request with a body of at most this declared length is read whole first, so that a
   * retry can send it again; a larger or chunked one streams and is retried only before it left.
   */
  static final long REPLAY_LIMIT = 64 * 1024;

  private final ProxyExchange exchange;
  private final Runnable onBodyTooLarge;
  private boolean made;
  private Upstream upstream;
  private RetryPolicy policy;
  private RequestBody body;
  private UpstreamAttempt attempt;
  private StreamedBody streamed;
  private List<Endpoint> tried;
  private long startNanos;
  private boolean retrying;

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
    upstream = route.upstreamFor(exchange); // chosen once per exchange, kept for its retries
    RequestMirror.start(exchange);
    policy = route.retry();
    if (upstream.current() == null || upstream.current().servingCount() == 0) {
      return Future.failedFuture(noEndpoint()); // before reading any body
    }
    BodyReader reader = exchange.bodyReader;
    if (reader != null && reader.started()) {
      return reader.read().compose(read -> {
        body = RequestBody.buffered(read);
        return calls();
      });
    }
    if (exchange.hasBody && policy.allows(exchange.method()) && exchange.declaredLength >= 0
        && exchange.declaredLength <= REPLAY_LIMIT && exchange.declaredLength <= exchange.routeLimit()) {
      return exchange.body(REPLAY_LIMIT).compose(read -> {
        body = RequestBody.buffered(read);
        return calls();
      });
    }
    body = streamingBody();
    return calls();
  }

  private Future<UpstreamResponse> calls() {
    int loop = exchange.loop.index;
    policy.exchangeStarted(loop);
    exchange.trace.upstreamStarted();
    startNanos = System.nanoTime();
    return next().andThen(ar -> policy.exchangeEnded(loop));
  }

  private UpstreamFailure noEndpoint() {
    return new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT, null,
        "upstream " + upstream.name() + " has no healthy endpoint");
  }

  private Future<UpstreamResponse> next() {
    int loop = exchange.loop.index;
    EndpointSet set = upstream.current();
    Endpoint endpoint = set == null ? null : tried == null ? set.pick(loop, exchange) : set.pickOther(loop, exchange, tried);
    if (endpoint == null) {
      endRetry(loop);
      return Future.failedFuture(noEndpoint());
    }
    long timeout = tryTimeout();
    EndpointState state = set.state(endpoint);
    Balancer balancer = set.balancer(loop);
    balancer.started(endpoint);
    if (state != null) {
      state.tryStarted();
    }
    long tryStart = System.nanoTime();
    return send(endpoint, timeout).transform(ar -> {
      if (state != null) {
        state.tryEnded();
      }
      UpstreamFailure failure = ar.failed() && ar.cause() instanceof UpstreamFailure f ? f : null;
      // a request the gateway refused to write says nothing about the endpoint
      boolean unsent = ar.failed() && ar.cause() instanceof UnsafeHeaderException u && !u.inAnswer();
      if (!unsent && (failure == null || failure.kind() != UpstreamFailure.Kind.CANCELLED)) {
        balancer.finished(endpoint, System.nanoTime() - tryStart, ar.failed());
        report(state, ar);
      }
      endRetry(loop);
      if (shouldRetry(ar, failure) && policy.takeRetry(loop)) {
        if (ar.succeeded()) {
          attempt.response().discard(); // an answer we retry on: never relayed, its connection closed
        }
        if (tried == null) {
          tried = new ArrayList<>(policy.attempts());
        }
        tried.add(endpoint);
        retrying = true;
        exchange.trace.attempts++;
        return next();
      }
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
    });
  }

  private void endRetry(int loop) {
    if (retrying) {
      retrying = false;
      policy.retryEnded(loop);
    }
  }

  private void report(EndpointState state, AsyncResult<UpstreamResponse> outcome) {
    if (state == null) {
      return;
    }
    if (outcome.failed()) {
      upstream.health().failed(state);
    } else {
      upstream.health().answered(state, outcome.result().status());
    }
  }

  private boolean shouldRetry(AsyncResult<UpstreamResponse> outcome, UpstreamFailure failure) {
    int tries = tried == null ? 1 : tried.size() + 1;
    if (tries >= policy.attempts() || !policy.allows(exchange.method()) || !body.replayable()) {
      return false;
    }
    if (exchange.route.timeoutMillis() > 0
        && System.nanoTime() - startNanos >= exchange.route.timeoutMillis() * 1_000_000) {
      return false; // the route's time is spent
    }
    if (outcome.failed()) {
      return failure != null && policy.retriesOn(failure.kind());
    }
    return outcome.result() instanceof ProxiedResponse response && response == obtained() && policy.retriesOn(response.status());
  }

  /** The per-try timeout, within what is left of the route's timeout; 0 for none. */
  private long tryTimeout() {
    long perTry = policy.perTryTimeoutMillis();
    long routeTimeout = exchange.route.timeoutMillis();
    if (routeTimeout <= 0 || tried == null) {
      return perTry;
    }
    long left = Math.max(1, routeTimeout - (System.nanoTime() - startNanos) / 1_000_000);
    return perTry <= 0 ? left : Math.min(perTry, left);
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

  private Future<UpstreamResponse> send(Endpoint endpoint, long timeoutMillis) {
    ConnectionPool pool = exchange.loop.clients.pool(endpoint, upstream.settings());
    attempt = new UpstreamAttempt(pool, timeoutMillis, exchange.loop.deadlines);
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
