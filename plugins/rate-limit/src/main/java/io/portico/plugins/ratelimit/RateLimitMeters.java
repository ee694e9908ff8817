package io.portico.plugins.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.spi.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route's counters, registered once at create time ({@code portico_ratelimit_*_total} in
 * Prometheus, tagged with {@code route}), and the rate-limited log line of shadow mode.
 */
final class RateLimitMeters {
  private static final Logger log = LoggerFactory.getLogger(RateLimitMeters.class);
  private static final long SHADOW_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final Counter allowed;
  private final Counter rejected;
  private final Counter shadowRejected;
  private final Counter storeFailures;
  private volatile long nextShadowLog = System.nanoTime();

  RateLimitMeters(MeterRegistry registry, String route) {
    this.allowed = counter(registry, "portico.ratelimit.allowed", route, "requests let through");
    this.rejected = counter(registry, "portico.ratelimit.rejected", route, "requests answered 429 (or 503 with on-store-failure: deny)");
    this.shadowRejected = counter(registry, "portico.ratelimit.shadow.rejected", route, "requests shadow mode would have rejected");
    this.storeFailures = counter(registry, "portico.ratelimit.store.failures", route, "failed or timed-out calls to the shared store");
  }

  private static Counter counter(MeterRegistry registry, String name, String route, String description) {
    return Counter.builder(name).description(description).tag("route", route).register(registry);
  }

  void allowed() {
    allowed.increment();
  }

  void rejected() {
    rejected.increment();
  }

  Counter storeFailures() {
    return storeFailures;
  }

  /** Counts a would-be rejection; logs at most one line per interval, however many there are. */
  void shadowRejected(Exchange exchange) {
    shadowRejected.increment();
    long now = System.nanoTime();
    long due = nextShadowLog;
    if (now - due >= 0) {
      nextShadowLog = now + SHADOW_LOG_INTERVAL_NANOS;
      log.info("route {}: shadow rate limit would have rejected {} requests so far (latest from client {})",
          exchange.routeName(), (long) shadowRejected.count(), exchange.clientIp());
    }
  }
}
