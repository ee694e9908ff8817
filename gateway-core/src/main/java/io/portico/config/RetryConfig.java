package io.portico.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code routes[].retries:}.
 *
 * @param attempts total tries including the first, default 1 (no retry)
 * @param on {@code connect-failure}, {@code reset}, {@code timeout} or a status such as
 *     {@code 503}; default {@code [connect-failure, reset]}
 * @param budgetPercent retries at most this share of active requests, default 20
 * @param perTryTimeout deadline of each try, default the route timeout
 * @param nonIdempotent also retry POST, PATCH and other non-idempotent methods
 */
public record RetryConfig(Integer attempts, List<String> on, Integer budgetPercent, Duration perTryTimeout, Boolean nonIdempotent) {
  public RetryConfig {
    attempts = attempts != null ? attempts : 1;
    on = on != null ? List.copyOf(on) : List.of("connect-failure", "reset");
    budgetPercent = budgetPercent != null ? budgetPercent : 20;
    nonIdempotent = nonIdempotent != null ? nonIdempotent : Boolean.FALSE;
  }
}
