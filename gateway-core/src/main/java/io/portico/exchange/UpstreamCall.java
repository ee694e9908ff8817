package io.portico.exchange;

import io.portico.balance.Balancer;
import io.portico.endpoint.EndpointSet;
import io.portico.endpoint.EndpointState;
import io.portico.grpc.GrpcStatus;
import io.portico.runtime.RunningRoute;
import io.portico.spi.Endpoint;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamResponse;
import io.portico.upstream.ConcurrencyLimit;
import io.portico.upstream.ConcurrencyPermit;
import io.portico.upstream.ConnectionPool;
import io.portico.upstream.HedgePolicy;
import io.portico.upstream.ProxiedResponse;
import io.portico.upstream.RequestBody;
import io.portico.upstream.RetryPolicy;
import io.portico.upstream.StreamedBody;
import io.portico.upstream.UnsafeHeaderException;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamAttempt;
import io.portico.upstream.UpstreamHeaders;
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
  private HedgedTry hedged;

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
    if (exchange.grpc != null && exchange.grpc.hasDeadline() && exchange.grpc.remainingNanos() <= 0) {
      return Future.failedFuture(new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, null,
          "the call's deadline passed before the upstream call"));
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
    long timeout = exchange.route.timeoutMillis();
    tries = new Tries(policy, exchange.grpc == null ? timeout : exchange.grpc.callTimeoutMillis(timeout));
    if (exchange.route.hedge() != null) {
      exchange.route.hedge().requestStarted(loop);
    }
    return next().andThen(ar -> policy.exchangeEnded(loop));
  }

  private UpstreamFailure noEndpoint() {
    return new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT, null,
        "upstream " + upstream.name() + " has no healthy endpoint");
  }

  /** The next try, once the upstream's adaptive concurrency limit, if any, has room for it. */
  private Future<UpstreamResponse> next() {
    ConcurrencyLimit limit = upstream.concurrency();
    if (limit == null) {
      return tryOnce(null);
    }
    int loop = exchange.loop.index;
    return limit.acquire(loop, exchange.loop.deadlines).transform(permit -> {
      if (permit.failed()) {
        endRetry(loop);
        return Future.failedFuture(permit.cause());
      }
      return tryOnce(permit.result());
    });
  }

  private Future<UpstreamResponse> tryOnce(ConcurrencyPermit permit) {
    int loop = exchange.loop.index;
    EndpointSet set = upstream.current();
    Endpoint endpoint = set == null ? null : tries.tried() == null ? set.pick(loop, exchange) : set.pickOther(loop, exchange, tries.tried());
    if (endpoint == null) {
      if (permit != null) {
        permit.release(Future.failedFuture(noEndpoint()));
      }
      endRetry(loop);
      return Future.failedFuture(noEndpoint());
    }
    long timeout = tries.nextTimeout();
    Future<Launched> tried;
    HedgePolicy hedge = exchange.route.hedge();
    if (hedge != null && tries.tried() == null && HedgePolicy.hedgeable(exchange.method()) && body.replayable()) {
      hedged = new HedgedTry(hedge, policy, set, exchange, e -> launch(set, e, timeout));
      tried = hedged.start(endpoint);
    } else {
      Launched launched = launch(set, endpoint, timeout);
      tried = Future.succeededFuture(launched);
    }
    return tried.compose(launched -> {
      attempt = launched.attempt(); // the answer relayed is the winner's
      return launched.outcome();
    }).transform(ar -> {
      if (permit != null) {
        permit.release(ar);
      }
      UpstreamFailure failure = ar.failed() && ar.cause() instanceof UpstreamFailure f ? f : null;
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
      UpstreamResponse answer = outcome.result();
      upstream.health().answered(state, answer.status(), exchange.grpc == null ? null : GrpcStatus.ofHead(answer.headers()));
    }
  }

  private boolean shouldRetry(AsyncResult<UpstreamResponse> outcome, UpstreamFailure failure) {
    if (!tries.anotherAllowed(retryable(exchange, policy), body.replayable())) {
      return false;
    }
    if (outcome.failed()) {
      return failure != null && policy.retriesOn(failure.kind());
    }
    if (!(outcome.result() instanceof ProxiedResponse response) || response != obtained()) {
      return false;
    }
    // a trailers-only gRPC answer carries its status in the head; a normal one streams its body first
    return policy.retriesOn(response.status())
        || exchange.grpc != null && policy.retriesOn(GrpcStatus.ofHead(response.headers()));
  }

  /**
   * Whether the exchange's method may be retried: as the policy says, except that a gRPC call
   * (always a POST) is retried on the conditions the route lists, as gRPC's own retry policy does.
   */
  static boolean retryable(ProxyExchange exchange, RetryPolicy policy) {
    return policy.allows(exchange.method()) || exchange.grpc != null && policy.attempts() > 1;
  }

  /** A try started: its attempt and what came of it (the balancer and health already told). */
  record Launched(UpstreamAttempt attempt, Future<UpstreamResponse> outcome) {}

  /** Starts one try to {@code endpoint}, telling the balancer and the endpoint's health what comes of it. */
  private Launched launch(EndpointSet set, Endpoint endpoint, long timeoutMillis) {
    int loop = exchange.loop.index;
    EndpointState state = set.state(endpoint);
    Balancer balancer = set.balancer(loop);
    balancer.started(endpoint);
    if (state != null) {
      state.tryStarted();
    }
    long tryStart = System.nanoTime();
    ConnectionPool pool = exchange.loop.clients.pool(endpoint, upstream.settings());
    UpstreamAttempt started = new UpstreamAttempt(pool, timeoutMillis, exchange.loop.deadlines);
    attempt = started;
    exchange.trace.endpoint(started.endpoint());
    String query = exchange.query();
    String uri = query == null ? exchange.upstreamPath() : exchange.upstreamPath() + '?' + query;
    UpstreamHeaders headers = exchange.grpc == null ? exchange : exchange.grpc.headersFor(exchange);
    Future<UpstreamResponse> outcome = started.send(exchange.context, exchange.method(), uri, exchange.request.authority(),
        headers, body).andThen(ar -> {
          if (state != null) {
            state.tryEnded();
          }
          UpstreamFailure failure = ar.failed() && ar.cause() instanceof UpstreamFailure f ? f : null;
          // a request the gateway refused to write says nothing about the endpoint
          boolean unsent = ar.failed() && ar.cause() instanceof UnsafeHeaderException u && !u.inAnswer();
          if (!unsent && (failure == null || failure.kind() != UpstreamFailure.Kind.CANCELLED)) {
            long took = System.nanoTime() - tryStart;
            balancer.finished(endpoint, took, ar.failed());
            report(state, ar);
            HedgePolicy hedge = exchange.route.hedge();
            if (hedge != null && ar.succeeded()) {
              hedge.answered(loop, took);
            }
          }
        });
    return new Launched(started, outcome);
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
    if (hedged != null) {
      hedged.abortAll();
    }
    if (attempt != null) {
      attempt.abort();
    }
    stopBody();
  }

  void recordBytes() {
    plan.recordBytes();
  }
}
