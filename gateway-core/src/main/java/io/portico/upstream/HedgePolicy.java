package io.portico.upstream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.HedgeConfig;
import io.vertx.core.http.HttpMethod;

/**
 * A route's hedging ({@code hedge:}): after how long without an answer head one more try goes to
 * another endpoint, how many extra tries a request may get, and the budget that keeps hedges
 * below {@code budget-percent} of the route's requests. Each event loop has its own budget and its
 * own learned p95 (for {@code after: p95}), touched only by that loop. Metrics:
 * {@code portico_route_hedges_sent_total} and {@code portico_route_hedges_won_total}, tagged
 * {@code route}.
 */
public final class HedgePolicy {
  /** The budget saved up by a quiet loop, in hedges: a burst after a calm spell stays bounded. */
  private static final double MAX_SAVED = 10;
  private final long afterMillis;
  private final boolean learned;
  private final int maxExtra;
  private final double earnedPerRequest;
  private final double[] budget;
  private final LatencyWindow[] latencies;
  private final Counter sent;
  private final Counter won;

  public HedgePolicy(String route, HedgeConfig config, int loops, MeterRegistry registry) {
    this.afterMillis = config.after().millis();
    this.learned = config.after().p95();
    this.maxExtra = config.maxExtra();
    this.earnedPerRequest = config.budgetPercent() / 100.0;
    this.budget = new double[loops];
    this.latencies = new LatencyWindow[loops];
    for (int i = 0; i < loops; i++) {
      latencies[i] = new LatencyWindow();
    }
    this.sent = Counter.builder("portico.route.hedges.sent").tag("route", route)
        .description("extra tries sent because no answer head came in time").register(registry);
    this.won = Counter.builder("portico.route.hedges.won").tag("route", route)
        .description("hedged tries whose answer head came first").register(registry);
  }

  /** Only idempotent methods are hedged: the request may reach the upstreams twice. */
  public static boolean hedgeable(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
        || method == HttpMethod.PUT || method == HttpMethod.DELETE;
  }

  /** A request of the route started on {@code loop}: it earns its share of the hedge budget. */
  public void requestStarted(int loop) {
    budget[loop] = Math.min(MAX_SAVED, budget[loop] + earnedPerRequest);
  }

  /** How long to wait for an answer head before hedging, or -1 when there is nothing to go by yet. */
  public long afterMillis(int loop) {
    return learned ? latencies[loop].p95Millis() : afterMillis;
  }

  public int maxExtra() {
    return maxExtra;
  }

  /** Takes one hedge from {@code loop}'s budget; {@code false} when it is spent. */
  public boolean takeHedge(int loop) {
    if (budget[loop] < 1) {
      return false;
    }
    budget[loop] -= 1;
    sent.increment();
    return true;
  }

  /** A hedge's answer head came first. */
  public void hedgeWon() {
    won.increment();
  }

  /** The time to the answer head of a try that answered, for the learned p95. */
  public void answered(int loop, long nanos) {
    if (learned) {
      latencies[loop].add(nanos);
    }
  }

  public long sentCount() {
    return (long) sent.count();
  }

  public long wonCount() {
    return (long) won.count();
  }
}
