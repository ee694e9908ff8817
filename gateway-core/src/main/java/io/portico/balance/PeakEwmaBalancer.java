package io.portico.balance;

import io.portico.spi.Endpoint;
import io.portico.spi.Exchange;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Latency-aware balancing as in Finagle, Linkerd and Kong: of two endpoints drawn at random, the one
 * with the lower cost {@code latency estimate × (tries in progress + 1) / weight}, the estimate
 * being a {@link LatencyEstimate peak EWMA} with a 2 s time constant (short enough that an endpoint
 * shunned for being slow is probed again within seconds).
 *
 * <ul>
 *   <li>A failed try counts as a latency of at least 4 times the larger of the endpoint's estimate
 *       and the loop's typical latency, so an endpoint that fails fast does not look fast.
 *   <li>An endpoint with no sample yet is taken to have the loop's typical latency (the running
 *       average of successful tries, 10 ms before any), so it is neither flooded nor starved; while
 *       it has no try in progress it costs nothing, so that it is probed at once even when every
 *       measured endpoint happens to be cheaper than the average.
 *   <li>Estimates, counters and the typical latency carry over to the balancer built over the next
 *       list (endpoints matched by host and port), by reference: a try that started before the
 *       change is counted down whichever balancer hears of its end.
 * </ul>
 */
public final class PeakEwmaBalancer implements Balancer {
  static final long DEFAULT_TAU_NANOS = TimeUnit.SECONDS.toNanos(2);
  static final int FAILURE_FACTOR = 4;
  static final int DEFAULT_LATENCY_MS = 10;

  private final Endpoint[] endpoints;
  private final double[] weights;
  private final LatencyEstimate[] estimates;
  private final EndpointIndex index;
  private final LongSupplier clock;
  private final double tauNanos;
  /** Running average of successful try latencies on this loop, in nanoseconds. */
  private double typical;

  /** A balancer on the system clock with the default time constant. */
  public PeakEwmaBalancer(List<Endpoint> endpoints, Balancer previous) {
    this(endpoints, previous, System::nanoTime, DEFAULT_TAU_NANOS);
  }

  PeakEwmaBalancer(List<Endpoint> endpoints, Balancer previous, LongSupplier clock, long tauNanos) {
    this.endpoints = endpoints.toArray(new Endpoint[0]);
    this.weights = new double[this.endpoints.length];
    this.estimates = new LatencyEstimate[this.endpoints.length];
    this.index = new EndpointIndex(this.endpoints);
    this.clock = clock;
    this.tauNanos = tauNanos;
    PeakEwmaBalancer before = previous instanceof PeakEwmaBalancer b ? b : null;
    this.typical = before != null ? before.typical : TimeUnit.MILLISECONDS.toNanos(DEFAULT_LATENCY_MS);
    int[] old = before == null ? null : before.index.positionsOf(this.endpoints);
    for (int i = 0; i < this.endpoints.length; i++) {
      weights[i] = this.endpoints[i].weight();
      estimates[i] = old != null && old[i] >= 0 ? before.estimates[old[i]] : new LatencyEstimate();
    }
  }

  @Override
  public Endpoint pick(Exchange exchange) {
    int n = endpoints.length;
    if (n == 1) {
      return endpoints[0];
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int first = random.nextInt(n);
    int second = random.nextInt(n - 1);
    if (second >= first) {
      second++;
    }
    long now = clock.getAsLong();
    return endpoints[cost(second, now) < cost(first, now) ? second : first];
  }

  private double cost(int i, long now) {
    LatencyEstimate estimate = estimates[i];
    if (estimate.active == 0 && !estimate.sampled()) {
      return 0; // never measured and idle: probe it
    }
    return latency(estimate, now) * (estimate.active + 1) / weights[i];
  }

  private double latency(LatencyEstimate estimate, long now) {
    return estimate.sampled() ? estimate.at(now, tauNanos) : typical;
  }

  @Override
  public void started(Endpoint endpoint) {
    int i = index.of(endpoint);
    if (i >= 0) {
      estimates[i].active++;
    }
  }

  @Override
  public void finished(Endpoint endpoint, long nanos, boolean failed) {
    int i = index.of(endpoint);
    if (i < 0) {
      return;
    }
    LatencyEstimate estimate = estimates[i];
    if (estimate.active > 0) {
      estimate.active--;
    }
    long now = clock.getAsLong();
    double latency = Math.max(0, nanos);
    if (failed) {
      latency = Math.max(latency, FAILURE_FACTOR * Math.max(latency(estimate, now), typical));
    } else {
      typical += (latency - typical) / 16;
    }
    estimate.observe(latency, now, tauNanos);
  }

  /** The current latency estimate of {@code endpoint} in nanoseconds, or -1 when it is not listed. */
  double estimate(Endpoint endpoint) {
    int i = index.of(endpoint);
    return i < 0 ? -1 : latency(estimates[i], clock.getAsLong());
  }

  /** Tries in progress on {@code endpoint} as this balancer counts them. */
  int active(Endpoint endpoint) {
    int i = index.of(endpoint);
    return i < 0 ? 0 : estimates[i].active;
  }
}
