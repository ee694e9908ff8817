package io.portico.plugins.ratelimit;

import io.micrometer.core.instrument.Counter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a route's shared store is usable, as seen from the answers to its calls. While it is
 * down only one request per probe interval tries it; the others are decided by
 * {@code on-store-failure} without waiting. Each transition is logged once.
 *
 * <p>Calls are stamped with the era they started in (even: healthy, odd: degraded), so a late
 * answer to a call from an earlier era cannot flip the state back and forth: only a failure that
 * started while healthy degrades, and only a success that started while degraded recovers.
 * Thread-safe and lock-free: any event loop may call it.
 */
final class StoreHealth {
  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
  static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;

  private final String route;
  private final String onFailure;
  private final Counter failures;
  private final AtomicInteger era = new AtomicInteger();
  private final AtomicLong nextProbe = new AtomicLong();

  StoreHealth(String route, RateLimitConfig.OnStoreFailure onFailure, Counter failures) {
    this.route = route;
    this.onFailure = onFailure.name().toLowerCase(Locale.ROOT);
    this.failures = failures;
  }

  /**
   * Whether this request may call the store: always while healthy; while degraded, only the
   * first request after each probe interval.
   *
   * @return the era to pass to {@link #succeeded} or {@link #failed}, or -1 to decide without
   *     the store
   */
  int admit() {
    int current = era.get();
    if ((current & 1) == 0) {
      return current;
    }
    long due = nextProbe.get();
    long now = System.nanoTime();
    return now - due >= 0 && nextProbe.compareAndSet(due, now + PROBE_INTERVAL_NANOS) ? current : -1;
  }

  /** The store answered a call that started in {@code callEra}. */
  void succeeded(int callEra) {
    if ((callEra & 1) == 1 && era.compareAndSet(callEra, callEra + 1)) {
      log.info("route {}: rate-limit store is back, limits are shared again", route);
    }
  }

  /** A call that started in {@code callEra} failed or timed out. */
  void failed(int callEra, Throwable cause) {
    failures.increment();
    if ((callEra & 1) == 0 && era.compareAndSet(callEra, callEra + 1)) {
      nextProbe.set(System.nanoTime() + PROBE_INTERVAL_NANOS);
      log.warn("route {}: rate-limit store failed ({}); on-store-failure: {} until it answers again", route,
          describe(cause), onFailure);
    }
  }

  boolean degraded() {
    return (era.get() & 1) == 1;
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
