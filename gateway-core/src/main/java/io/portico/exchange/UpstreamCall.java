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
import io.vertx.core.Handler;
import io.vertx.core.Promise;

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
  private Promise<UpstreamResponse> outcome;

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
    // One promise for the whole call and one listener per try: the tries of the common case
    // (no limit, no hedge) allocate no futures of their own on the way to the answer.
    outcome = Promise.promise();
    next();
    return outcome.future();
  }

  private UpstreamFailure noEndpoint() {
    return new UpstreamFailure(UpstreamFailure.Kind.NO_ENDPOINT, null,
        "upstream " + upstream.name() + " has no healthy endpoint");
  }

  /** The next try, once the upstream's adaptive concurrency limit, if any, has room for it. */
  private void next() {
    ConcurrencyLimit limit = upstream.concurrency();
    if (limit == null) {
      tryOnce(null);
      return;
    }
    int loop = exchange.loop.index;
    limit.acquire(loop, exchange.loop.deadlines).onComplete(permit -> {
      if (permit.failed()) {
        endRetry(loop);
        end(permit.cause(), null);
      } else {
        guarded(() -> tryOnce(permit.result()));
      }
    });
  }

  private void tryOnce(ConcurrencyPermit permit) {
    int loop = exchange.loop.index;
    EndpointSet set = upstream.current();
    Endpoint endpoint = set == null ? null : tries.tried() == null ? set.pick(loop, exchange) : set.pickOther(loop, exchange, tries.tried());
    if (endpoint == null) {
      if (permit != null) {
        permit.release(Future.failedFuture(noEndpoint()));
      }
      endRetry(loop);
      end(noEndpoint(), null);
      return;
    }
    long timeout = tries.nextTimeout();
    HedgePolicy hedge = exchange.route.hedge();
    if (hedge != null && tries.tried() == null && HedgePolicy.hedgeable(exchange.method()) && body.replayable()) {
      hedged = new HedgedTry(hedge, policy, set, exchange, e -> launch(set, e, timeout));
      hedged.start(endpoint).onComplete(won -> {
        if (won.failed()) {
          guarded(() -> tried(won.cause(), null, permit, endpoint));
          return;
        }
        attempt = won.result().attempt(); // the answer relayed is the winner's
        won.result().outcome().onComplete(ar -> guarded(() -> tried(ar.cause(), ar.result(), permit, endpoint)));
      });
    } else {
      attempt = start(set, endpoint, timeout, ar -> guarded(() -> tried(ar.cause(), ar.result(), permit, endpoint)));
    }
  }

  /** What came of one try: the call ends with it, or another try starts. */
  private void tried(Throwable cause, UpstreamResponse answer, ConcurrencyPermit permit, Endpoint endpoint) {
    boolean failed = cause != null;
    if (permit != null) {
      permit.release(failed ? Future.failedFuture(cause) : Future.succeededFuture(answer));
    }
    int loop = exchange.loop.index;
    UpstreamFailure failure = cause instanceof UpstreamFailure f ? f : null;
    endRetry(loop);
    if (shouldRetry(cause, answer, failure) && policy.takeRetry(loop)) {
      if (!failed) {
        attempt.response().discard(); // an answer we retry on: never relayed, its connection closed
      }
      tries.failed(endpoint);
      retrying = true;
      exchange.trace.retried();
      next();
      return;
    }
    end(cause, answer);
  }

  /** Runs one step of the call; a step that throws ends the call with that failure instead of leaving it open. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      end(e, null);
    }
  }

  private void end(Throwable cause, UpstreamResponse answer) {
    if (outcome.future().isComplete()) {
      return;
    }
    policy.exchangeEnded(exchange.loop.index);
    if (cause != null) {
      outcome.fail(cause);
    } else {
      outcome.complete(answer);
    }
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

  private boolean shouldRetry(Throwable cause, UpstreamResponse answer, UpstreamFailure failure) {
    if (!tries.anotherAllowed(retryable(exchange, policy), body.replayable())) {
      return false;
    }
    if (cause != null) {
      return failure != null && policy.retriesOn(failure.kind());
    }
    if (!(answer instanceof ProxiedResponse response) || response != obtained()) {
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

  /** Starts one try to {@code endpoint} for a hedged race: its attempt and a future of what came of it. */
  private Launched launch(EndpointSet set, Endpoint endpoint, long timeoutMillis) {
    Promise<UpstreamResponse> outcome = Promise.promise();
    UpstreamAttempt started = start(set, endpoint, timeoutMillis, outcome::handle);
    return new Launched(started, outcome.future());
  }

  /**
   * Starts one try to {@code endpoint}; when it ends, tells the balancer and the endpoint's health
   * what came of it, then {@code then}.
   */
  private UpstreamAttempt start(EndpointSet set, Endpoint endpoint, long timeoutMillis, Handler<AsyncResult<UpstreamResponse>> then) {
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
    started.send(exchange.context, exchange.method(), uri, exchange.authorityText(), headers, body).onComplete(ar -> {
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
      then.handle(ar);
    });
    return started;
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
