package io.portico.exchange;

import io.portico.spi.Endpoint;
import io.portico.upstream.RetryPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * The tries of one upstream call: the endpoints tried so far, how much of the route's timeout is
 * left, and whether the policy, the method, the body and the time allow one more.
 */
final class Tries {
  private final RetryPolicy policy;
  private final long routeTimeoutMillis;
  private final long startNanos = System.nanoTime();
  private List<Endpoint> tried;

  /** @param routeTimeoutMillis the route's timeout over all tries, 0 for none */
  Tries(RetryPolicy policy, long routeTimeoutMillis) {
    this.policy = policy;
    this.routeTimeoutMillis = routeTimeoutMillis;
  }

  /** The endpoints that failed a try, {@code null} before the first retry. */
  List<Endpoint> tried() {
    return tried;
  }

  /** {@code endpoint}'s try is to be retried elsewhere. */
  void failed(Endpoint endpoint) {
    if (tried == null) {
      tried = new ArrayList<>(policy.attempts());
    }
    tried.add(endpoint);
  }

  /** Whether one more try is allowed, whatever the outcome of this one: attempts, method, body, time. */
  boolean anotherAllowed(boolean methodRetryable, boolean bodyReplayable) {
    int tries = tried == null ? 1 : tried.size() + 1;
    if (tries >= policy.attempts() || !methodRetryable || !bodyReplayable) {
      return false;
    }
    return routeTimeoutMillis <= 0 || System.nanoTime() - startNanos < routeTimeoutMillis * 1_000_000; // time left
  }

  /**
   * The timeout of the next try: the per-try timeout, within what is left of the route's (which a
   * gRPC deadline may have shortened below the per-try timeout); 0 for none.
   */
  long nextTimeout() {
    long perTry = policy.perTryTimeoutMillis();
    if (routeTimeoutMillis <= 0 || tried == null && perTry > 0 && perTry <= routeTimeoutMillis) {
      return perTry;
    }
    long left = Math.max(1, routeTimeoutMillis - (System.nanoTime() - startNanos) / 1_000_000);
    return perTry <= 0 ? left : Math.min(perTry, left);
  }
}
