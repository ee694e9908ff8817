package io.portico.exchange;

import io.portico.balance.Balancer;
import io.portico.endpoint.EndpointSet;
import io.portico.endpoint.EndpointState;
import io.portico.runtime.RunningRoute;
import io.portico.spi.Endpoint;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.portico.upstream.ConnectionPool;
import io.portico.upstream.ProxiedResponse;
import io.portico.upstream.RequestBody;
import io.portico.upstream.RetryPolicy;
import io.portico.upstream.StreamedBody;
import io.portico.upstream.UnsafeHeaderException;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamAttempt;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;

/**
 * The upstream call of one exchange, as handed to the interceptors: lets its {@link BodyPlan}
 * choose how the body goes, then makes tries until one answers or the route's retry policy says
 * stop. Each try picks an endpoint (a retry one not tried yet when there is one),
 * tells the balancer and the endpoint's health what came of it, and is bounded by the per-try
 * timeout within what is left of the route's timeout. Made at most once.
 */
final class UpstreamCall {
  private final ProxyExchange exchange;
  private final BodyPlan plan;
  private boolean made;
  private Upstream upstream;
  private RetryPolicy policy;
  private RequestBody body;
  private UpstreamAttempt attempt;
  private Tries tries;
  private boolean retrying;

  UpstreamCall(ProxyExchange exchange, Runnable onBodyTooLarge) {
    this.exchange = exchange;
    this.plan = new BodyPlan(exchange, onBodyTooLarge);
  }

  Future<UpstreamResponse> attempt() {
    if (made) {
      return Future.failedFuture(new IllegalStateException("the upstream call may be made only once"));
    }
    made = true;
    RunningRoute route = exchange.route;
    upstream = exchange.upstream(); // chosen once per exchange, kept for its retries
    Mirroring.start(exchange);
    policy = route.retry();
    if (upstream.current() == null || upstream.current().servingCount() == 0) {
      return Future.failedFuture(noEndpoint()); // before reading any body
    }
    Future<RequestBody> chosen = plan.choose(policy);
    if (chosen.succeeded()) { // streamed or none: the first try leaves now
      body = chosen.result();
      return calls();
    }
    return chosen.compose(read -> {
      body = read;
      return calls();
    });
  }

  private Future<UpstreamResponse> calls() {
    int loop = exchange.loop.index;
    policy.exchangeStarted(loop);
    exchange.trace.upstreamStarted();
    tries = new Tries(policy, exchange.route.timeoutMillis());
    return next().andThen(ar -> policy.exchangeEnded(loop));
  }

  private UpstreamFailure noEndpoint() {
    return new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT, null,
        "upstream " + upstream.name() + " has no healthy endpoint");
  }

  private Future<UpstreamResponse> next() {
    int loop = exchange.loop.index;
    EndpointSet set = upstream.current();
    Endpoint endpoint = set == null ? null : tries.tried() == null ? set.pick(loop, exchange) : set.pickOther(loop, exchange, tries.tried());
    if (endpoint == null) {
      endRetry(loop);
      return Future.failedFuture(noEndpoint());
    }
    long timeout = tries.nextTimeout();
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
        tries.failed(endpoint);
        retrying = true;
        exchange.trace.retried();
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
    if (!tries.anotherAllowed(policy.allows(exchange.method()), body.replayable())) {
      return false;
    }
    if (outcome.failed()) {
      return failure != null && policy.retriesOn(failure.kind());
    }
    return outcome.result() instanceof ProxiedResponse response && response == obtained() && policy.retriesOn(response.status());
  }

  private Future<UpstreamResponse> send(Endpoint endpoint, long timeoutMillis) {
    ConnectionPool pool = exchange.loop.clients.pool(endpoint, upstream.settings());
    attempt = new UpstreamAttempt(pool, timeoutMillis, exchange.loop.deadlines);
    exchange.trace.endpoint(attempt.endpoint());
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
    plan.stop();
  }

  /** Abandons the try and the body relay. */
  void abort() {
    if (attempt != null) {
      attempt.abort();
    }
    stopBody();
  }

  void recordBytes() {
    plan.recordBytes();
  }
}
