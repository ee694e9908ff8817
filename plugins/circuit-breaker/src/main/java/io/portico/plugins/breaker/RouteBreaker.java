package io.portico.plugins.breaker;

import io.portico.spi.UpstreamResponse;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route's breaker. Vert.x Circuit Breaker keeps the state machine (failure count in a rolling
 * window, the open period, one trial call when half-open, closing on its success). Two extensions
 * sit on top of it: a failure rate with a minimum volume ({@link RollingCounts}, which opens the
 * Vert.x breaker explicitly), and more than one trial call while half-open (extra permits counted
 * here; a failed extra trial re-opens the circuit).
 */
final class RouteBreaker {
  private static final Logger log = LoggerFactory.getLogger(RouteBreaker.class);

  private final String route;
  private final CircuitBreakerConfig config;
  private final CircuitBreaker breaker;
  private final RollingCounts counts;
  private final AtomicInteger extraTrials = new AtomicInteger();
  private volatile long openedAtMillis;

  RouteBreaker(Vertx vertx, String route, CircuitBreakerConfig config) {
    this.route = route;
    this.config = config;
    boolean byRate = config.failureRate() != null;
    this.breaker = CircuitBreaker.create("route:" + route, vertx, new CircuitBreakerOptions()
        .setMaxFailures(byRate ? Integer.MAX_VALUE : config.failures())
        .setFailuresRollingWindow(config.window().toMillis())
        .setResetTimeout(config.reset().toMillis())
        .setTimeout(-1) // the route's own timeout bounds the call
        .setFallbackOnFailure(false));
    this.counts = new RollingCounts(config.window().toMillis(), System::currentTimeMillis);
    breaker.<UpstreamResponse>failurePolicy(this::isFailure);
    breaker.openHandler(v -> {
      openedAtMillis = System.currentTimeMillis();
      log.warn("route {}: circuit opened", route);
    });
    breaker.halfOpenHandler(v -> {
      extraTrials.set(0);
      log.info("route {}: circuit half-open, letting {} trial request(s) through", route, config.halfOpenRequests());
    });
    breaker.closeHandler(v -> {
      counts.clear();
      log.info("route {}: circuit closed", route);
    });
  }

  private boolean isFailure(io.vertx.core.AsyncResult<UpstreamResponse> outcome) {
    if (outcome.failed()) {
      // the gateway giving up on a try (the client left) says nothing about the upstream
      return !(outcome.cause() instanceof io.portico.spi.UpstreamFailure failure
          && failure.kind() == io.portico.spi.UpstreamFailure.Kind.CANCELLED);
    }
    return config.isFailure(outcome.result().status());
  }

  /**
   * Runs {@code call} through the breaker. Completes with the upstream's answer (even one that
   * counts as a failure), or with {@code null} when the circuit is open and the call was not made.
   */
  Future<UpstreamResponse> call(Supplier<Future<UpstreamResponse>> call) {
    @SuppressWarnings("unchecked")
    Future<UpstreamResponse>[] made = new Future[1];
    CircuitBreakerState before = breaker.state();
    Future<UpstreamResponse> guarded = breaker.execute(() -> {
      made[0] = call.get();
      return made[0];
    });
    if (made[0] != null && before == CircuitBreakerState.CLOSED) {
      // The breaker let the call through (it makes it before execute returns). Its own future
      // completes one event-loop task later (Vert.x hands every outcome to the breaker's context
      // with runOnContext), which would hold each answer back until the loop's next round of tasks.
      // A success while closed cannot change what the breaker lets through, so it goes on at once;
      // a failure waits until the breaker has counted it, so the request after the one that opens
      // the circuit is refused. Half-open trials keep the breaker's order too.
      Promise<UpstreamResponse> answer = Promise.promise();
      made[0].onComplete(outcome -> {
        boolean failed = isFailure(outcome);
        judgeRate(failed);
        if (failed) {
          guarded.onComplete(counted -> answer.handle(outcome));
        } else {
          answer.handle(outcome);
        }
      });
      return answer.future();
    }
    return guarded.transform(ar -> {
      if (made[0] == null) {
        return extraTrial(before, call);
      }
      made[0].onComplete(outcome -> judgeRate(isFailure(outcome)));
      return made[0];
    });
  }

  /** Vert.x lets one trial through while half-open; the configured extra ones pass here. */
  private Future<UpstreamResponse> extraTrial(CircuitBreakerState state, Supplier<Future<UpstreamResponse>> call) {
    if (state != CircuitBreakerState.HALF_OPEN || extraTrials.incrementAndGet() >= config.halfOpenRequests()) {
      return Future.succeededFuture(null);
    }
    Future<UpstreamResponse> made = call.get();
    made.onComplete(outcome -> {
      if (isFailure(outcome) && breaker.state() != CircuitBreakerState.OPEN) {
        breaker.open();
      }
    });
    return made;
  }

  private void judgeRate(boolean failed) {
    if (config.failureRate() == null) {
      return;
    }
    counts.record(failed);
    if (failed && breaker.state() == CircuitBreakerState.CLOSED
        && counts.failureRate(config.minimumRequests()) >= config.failureRate()) {
      breaker.open();
    }
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  long failureCount() {
    return breaker.failureCount();
  }

  /** Whole seconds until trial calls are let through (at least 1 while open). */
  long secondsUntilHalfOpen() {
    long left = config.reset().toMillis() - (System.currentTimeMillis() - openedAtMillis);
    return Math.max(1, (left + 999) / 1000);
  }

  String route() {
    return route;
  }

  void close() {
    breaker.close();
  }
}
