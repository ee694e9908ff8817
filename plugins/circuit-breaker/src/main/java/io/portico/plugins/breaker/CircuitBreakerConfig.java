package io.portico.plugins.breaker;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code circuit-breaker:} on a route.
 *
 * @param failures open after this many failures within {@code window} (default 5); ignored when
 *     {@code failure-rate} is set
 * @param failureRate open when at least this percentage of calls within {@code window} failed
 * @param minimumRequests calls within {@code window} before {@code failure-rate} is judged, default 10
 * @param window the rolling window failures are counted in, default 10s
 * @param reset how long the circuit stays open before trial calls, default 5s
 * @param halfOpenRequests trial calls let through while half-open, default 1
 * @param failureStatuses upstream statuses that count as failures; default every 5xx
 * @param fallback the answer while open; default 503 {@code circuit_open}
 * @param bulkhead an optional cap on concurrent requests of the route
 */
public record CircuitBreakerConfig(
    Integer failures,
    Integer failureRate,
    Integer minimumRequests,
    Duration window,
    Duration reset,
    Integer halfOpenRequests,
    List<Integer> failureStatuses,
    Fallback fallback,
    Bulkhead bulkhead) {

  public CircuitBreakerConfig {
    failures = failures != null ? failures : 5;
    minimumRequests = minimumRequests != null ? minimumRequests : 10;
    window = window != null ? window : Duration.ofSeconds(10);
    reset = reset != null ? reset : Duration.ofSeconds(5);
    halfOpenRequests = halfOpenRequests != null ? halfOpenRequests : 1;
    failureStatuses = failureStatuses != null ? List.copyOf(failureStatuses) : List.of();
  }

  /** Whether an upstream status counts as a failure. */
  boolean isFailure(int status) {
    return failureStatuses.isEmpty() ? status >= 500 : failureStatuses.contains(status);
  }

  /** The answer served while the circuit is open. */
  public record Fallback(Integer status, Map<String, String> headers, String body) {
    public Fallback {
      status = status != null ? status : 503;
      headers = headers != null ? Map.copyOf(headers) : Map.of();
    }
  }

  /** @param maxConcurrent requests of the route in flight at once; beyond it 503 at once */
  public record Bulkhead(Integer maxConcurrent) {}
}
