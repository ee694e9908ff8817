package io.portico.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.RetryConfig;
import io.portico.grpc.GrpcStatus;
import io.portico.spi.UpstreamFailure;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * A route's retry policy, compiled: which outcomes are retried, how often, and the retry budget.
 * The budget lets retries in flight be at most {@code budget-percent} of the route's requests in
 * flight (but always a few), so that retries cannot multiply the load on a failing upstream. Its
 * counters are kept per event loop, each slot touched by its own loop only.
 */
public final class RetryPolicy {
  /**
   * Retries allowed in flight per loop whatever the budget, so a quiet route can still retry, and a
   * burst of failures (requests queued behind a pause, all of them to the endpoint that just died)
   * is not shed while the budget is computed over a handful of requests.
   */
  static final int MIN_CONCURRENT_RETRIES = 10;

  private final int attempts;
  private final boolean onConnectFailure;
  private final boolean onReset;
  private final boolean onTimeout;
  private final int[] statuses;
  /** Bit {@code 1 << code} for each gRPC status retried when a trailers-only answer carries it. */
  private final int grpcStatuses;
  private final boolean nonIdempotent;
  private final long perTryTimeoutMillis;
  private final int budgetPercent;
  private final int[] active;
  private final int[] retrying;
  private final Counter retries;
  private final Counter exhausted;

  public RetryPolicy(String route, RetryConfig config, long routeTimeoutMillis, int loops, MeterRegistry registry) {
    RetryConfig retry = config != null ? config : new RetryConfig(null, null, null, null, null);
    List<String> on = retry.on();
    this.attempts = retry.attempts();
    this.onConnectFailure = on.contains("connect-failure");
    this.onReset = on.contains("reset");
    this.onTimeout = on.contains("timeout");
    this.statuses = on.stream().filter(s -> !s.isEmpty() && Character.isDigit(s.charAt(0))).mapToInt(Integer::parseInt).toArray();
    this.grpcStatuses = grpcMask(on);
    this.nonIdempotent = retry.nonIdempotent();
    this.perTryTimeoutMillis = retry.perTryTimeout() != null ? retry.perTryTimeout().toMillis() : routeTimeoutMillis;
    this.budgetPercent = retry.budgetPercent();
    this.active = new int[loops];
    this.retrying = new int[loops];
    // series only for routes that retry: a route explosion of plain routes adds none
    this.retries = attempts < 2 ? null : Counter.builder("portico.upstream.retries")
        .description("Upstream tries after the first").tag("route", route).register(registry);
    this.exhausted = attempts < 2 ? null : Counter.builder("portico.upstream.retry.budget.exhausted")
        .description("Retries not made because the retry budget was spent").tag("route", route).register(registry);
  }

  public int attempts() {
    return attempts;
  }

  /** Deadline of one try, 0 for none. */
  public long perTryTimeoutMillis() {
    return perTryTimeoutMillis;
  }

  /** Whether requests of {@code method} may be retried at all. */
  public boolean allows(HttpMethod method) {
    if (attempts < 2) {
      return false;
    }
    return nonIdempotent || (method != HttpMethod.POST && method != HttpMethod.PATCH && method != HttpMethod.CONNECT);
  }

  /** Whether a try that failed this way is retried. */
  public boolean retriesOn(UpstreamFailure.Kind kind) {
    return switch (kind) {
      case CONNECT_FAILURE -> onConnectFailure;
      case RESET -> onReset;
      case TIMEOUT -> onTimeout;
      default -> false;
    };
  }

  /** Whether an answer with this status is retried. */
  public boolean retriesOn(int status) {
    for (int s : statuses) {
      if (s == status) {
        return true;
      }
    }
    return false;
  }

  /** Whether a trailers-only gRPC answer with this status is retried; {@code false} for {@code null}. */
  public boolean retriesOn(GrpcStatus status) {
    return status != null && (grpcStatuses & (1 << status.code())) != 0;
  }

  private static int grpcMask(List<String> on) {
    int mask = 0;
    for (String condition : on) {
      GrpcStatus status = GrpcStatus.forConfigName(condition);
      if (status != null) {
        mask |= 1 << status.code();
      }
    }
    return mask;
  }

  public void exchangeStarted(int loop) {
    active[loop]++;
  }

  public void exchangeEnded(int loop) {
    active[loop]--;
  }

  /** Takes a retry from the budget of {@code loop}; {@code false} when it is spent. */
  public boolean takeRetry(int loop) {
    int allowed = Math.max(MIN_CONCURRENT_RETRIES, active[loop] * budgetPercent / 100);
    if (retrying[loop] >= allowed) {
      exhausted.increment();
      return false;
    }
    retrying[loop]++;
    retries.increment();
    return true;
  }

  /**
   * Takes room for a hedged try from the same budget as retries (the hedge metrics count it, not
   * the retry ones); {@link #retryEnded} gives it back.
   */
  public boolean takeHedge(int loop) {
    if (retrying[loop] >= Math.max(MIN_CONCURRENT_RETRIES, active[loop] * budgetPercent / 100)) {
      return false;
    }
    retrying[loop]++;
    return true;
  }

  public void retryEnded(int loop) {
    retrying[loop]--;
  }
}
