package io.portico.upstream;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.config.AdaptiveConcurrencyConfig;
import io.vertx.core.Future;
import java.util.List;

/**
 * An upstream's adaptive concurrency limit (Netflix concurrency-limits): how many of its tries may
 * be in flight at once, learned from the latency of their answers. Each event loop holds its share
 * of the configured limits in a {@link LoopLimiter} of its own, so the request path never takes a
 * lock shared between loops; the figures reported are the sums over the loops. Metrics:
 * {@code portico_upstream_concurrency_limit}, {@code portico_upstream_concurrency_in_flight} and
 * {@code portico_upstream_concurrency_rejected_total}, tagged {@code upstream}.
 */
public final class ConcurrencyLimit {
  /** How far gradient2 probes above the limit it learned, in tries. */
  private static final int GRADIENT_QUEUE = 2;
  /** Samples the long-term latency of gradient2 is averaged over. */
  private static final int GRADIENT_LONG_WINDOW = 10_000;
  private final LoopLimiter[] loops;
  private final Counter rejected;
  private final MeterRegistry registry;
  private final List<Meter> meters;

  public ConcurrencyLimit(String upstream, AdaptiveConcurrencyConfig config, int loopCount, MeterRegistry registry) {
    this.registry = registry;
    this.rejected = Counter.builder("portico.upstream.concurrency.rejected").tag("upstream", upstream)
        .description("tries refused by the upstream's adaptive concurrency limit").register(registry);
    int queue = share(config.queue().size(), loopCount, 0);
    long timeout = Math.max(1, config.queue().timeout().toMillis());
    loops = new LoopLimiter[loopCount];
    for (int i = 0; i < loopCount; i++) {
      loops[i] = new LoopLimiter(limit(config, loopCount), queue, timeout, rejected::increment);
    }
    meters = List.of(rejected,
        Gauge.builder("portico.upstream.concurrency.limit", this, ConcurrencyLimit::limit).tag("upstream", upstream)
            .description("the upstream's adaptive concurrency limit, over all event loops").register(registry),
        Gauge.builder("portico.upstream.concurrency.in.flight", this, ConcurrencyLimit::inFlight)
            .tag("upstream", upstream).description("tries in flight under the adaptive concurrency limit")
            .register(registry));
  }

  /** Room for one try on event loop {@code loop}; fails with {@link ConcurrencyLimited}. On that loop only. */
  public Future<ConcurrencyPermit> acquire(int loop, Deadlines deadlines) {
    return loops[loop].acquire(deadlines);
  }

  /** The current limit, summed over the loops (read from any thread; a loop's figure may be a moment old). */
  public int limit() {
    int sum = 0;
    for (LoopLimiter l : loops) {
      sum += l.limit();
    }
    return sum;
  }

  /** Tries in flight, summed over the loops. */
  public int inFlight() {
    int sum = 0;
    for (LoopLimiter l : loops) {
      sum += l.inFlight();
    }
    return sum;
  }

  /** Tries refused so far. */
  public long rejected() {
    return (long) rejected.count();
  }

  /** Removes the meters (the upstream was retired). */
  public void close() {
    meters.forEach(registry::remove);
  }

  /** One loop's share of a configured number, at least {@code floor}. */
  private static int share(int total, int loops, int floor) {
    return Math.max(floor, (total + loops - 1) / loops);
  }

  private static Limit limit(AdaptiveConcurrencyConfig config, int loops) {
    int initial = share(config.initialLimit(), loops, 1);
    int min = share(config.minLimit(), loops, 1);
    int max = Math.max(initial, share(config.maxLimit(), loops, 1));
    return switch (config.algorithm()) {
      case "vegas" -> VegasLimit.newBuilder().initialLimit(initial).maxConcurrency(max).build();
      case "aimd" -> AIMDLimit.newBuilder().initialLimit(initial).minLimit(min).maxLimit(max).build();
      // the library's defaults (tolerate 1.5x the long-term latency, grow by 4 a sample) let the
      // limit of a small backend run far past its capacity before latency pushes it back; a
      // gateway in front of it should hold its queue short instead. The long-term latency is
      // averaged over samples, not time: at a gateway's rates 600 samples pass in a second or two
      // and a sustained queue soon looks normal, so the window is longer.
      default -> Gradient2Limit.newBuilder().initialLimit(initial).minLimit(min).maxConcurrency(max)
          .rttTolerance(1.0).queueSize(GRADIENT_QUEUE).longWindow(GRADIENT_LONG_WINDOW).build();
    };
  }
}
