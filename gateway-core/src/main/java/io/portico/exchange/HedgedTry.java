package io.portico.exchange;

import io.portico.endpoint.EndpointSet;
import io.portico.spi.Endpoint;
import io.portico.spi.UpstreamResponse;
import io.portico.upstream.HedgePolicy;
import io.portico.upstream.RetryPolicy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * One try raced against its hedges: when no answer head came within the route's {@code after},
 * the same request goes to another endpoint (up to {@code max-extra} times, within the hedge
 * budget and the retry budget). The first answer head wins; every other try is aborted, which
 * closes its connection (never returned to the pool with an answer half read). A failed try waits
 * for the others; the call fails only when all did. Hedges start only before any answer head came,
 * so never once a byte of the answer went out. On the exchange's event loop.
 */
final class HedgedTry {
  /** Starts one try to {@code endpoint} (balancer and health told), for the race. */
  interface Launcher {
    UpstreamCall.Launched launch(Endpoint endpoint);
  }

  private final HedgePolicy hedge;
  private final RetryPolicy retry;
  private final EndpointSet set;
  private final ProxyExchange exchange;
  private final Launcher launcher;
  private final Promise<UpstreamCall.Launched> winner = Promise.promise();
  private final List<UpstreamCall.Launched> racing = new ArrayList<>(2);
  private final List<Endpoint> endpoints = new ArrayList<>(2);
  private int pending;
  private long timer = -1;

  HedgedTry(HedgePolicy hedge, RetryPolicy retry, EndpointSet set, ProxyExchange exchange, Launcher launcher) {
    this.hedge = hedge;
    this.retry = retry;
    this.set = set;
    this.exchange = exchange;
    this.launcher = launcher;
  }

  /** Races the first try to {@code endpoint}; completes with the try whose answer head came first. */
  Future<UpstreamCall.Launched> start(Endpoint endpoint) {
    add(endpoint, false);
    armHedge();
    return winner.future();
  }

  /** Aborts every try still running (the client went away). */
  void abortAll() {
    cancelTimer();
    for (UpstreamCall.Launched l : racing) {
      l.attempt().abort();
    }
  }

  private void add(Endpoint endpoint, boolean isHedge) {
    UpstreamCall.Launched launched = launcher.launch(endpoint);
    racing.add(launched);
    endpoints.add(endpoint);
    pending++;
    int loop = exchange.loop.index;
    launched.outcome().onComplete(ar -> {
      pending--;
      if (isHedge) {
        retry.retryEnded(loop);
      }
      settled(launched, ar, isHedge);
    });
  }

  private void settled(UpstreamCall.Launched launched, AsyncResult<UpstreamResponse> ar, boolean isHedge) {
    if (winner.future().isComplete()) {
      return; // a loser, already aborted
    }
    if (ar.succeeded()) {
      cancelTimer();
      if (isHedge) {
        hedge.hedgeWon();
      }
      winner.complete(launched); // first: an aborted loser settles at once, and must find the race decided
      for (UpstreamCall.Launched other : racing) {
        if (other != launched) {
          other.attempt().abort(); // its connection is closed, never handed back dirty
        }
      }
      return;
    }
    if (pending == 0) { // all failed (a hedge is for slowness; failures are the retry policy's)
      cancelTimer();
      winner.complete(racing.get(0)); // the first try's failure stands
    }
  }

  private void armHedge() {
    long after = hedge.afterMillis(exchange.loop.index);
    if (after < 0 || racing.size() > hedge.maxExtra()) {
      return; // nothing learned yet, or every extra try sent
    }
    timer = exchange.context.owner().setTimer(after, id -> {
      timer = -1;
      if (winner.future().isComplete()) {
        return;
      }
      if (canHedge()) {
        Endpoint other = set.pickOther(exchange.loop.index, exchange, endpoints);
        int loop = exchange.loop.index;
        if (other != null && retry.takeHedge(loop)) {
          if (hedge.takeHedge(loop)) {
            add(other, true);
            armHedge();
            return;
          }
          retry.retryEnded(loop);
        }
      }
    });
  }

  private boolean canHedge() {
    return racing.size() <= hedge.maxExtra();
  }

  private void cancelTimer() {
    if (timer >= 0) {
      exchange.context.owner().cancelTimer(timer);
      timer = -1;
    }
  }
}
