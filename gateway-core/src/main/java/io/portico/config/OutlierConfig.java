package io.portico.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code upstreams[].outlier:} passive health. An endpoint whose tries fail this many times in a
 * row (connect failure, reset, timeout, or one of {@code statuses}) is ejected for
 * {@code base-ejection} times the number of its ejections so far, at most {@code max-ejection}.
 *
 * @param consecutiveFailures default 5
 * @param baseEjection default 10s
 * @param maxEjection cap of one ejection, default 5m
 * @param maxEjectedPercent at most this share of the endpoints is ejected at once (at least one
 *     may always be, but never the last one still serving), default 50
 * @param statuses answer statuses that count as failures too, such as 502 or 503; default none
 * @param grpcStatuses gRPC statuses (kebab-case names such as {@code unavailable}) that count as
 *     failures when a trailers-only answer carries them; default none
 */
public record OutlierConfig(
    Integer consecutiveFailures, Duration baseEjection, Duration maxEjection, Integer maxEjectedPercent,
    List<Integer> statuses, List<String> grpcStatuses) {
  public OutlierConfig {
    consecutiveFailures = consecutiveFailures != null ? consecutiveFailures : 5;
    baseEjection = baseEjection != null ? baseEjection : Duration.ofSeconds(10);
    maxEjection = maxEjection != null ? maxEjection : Duration.ofMinutes(5);
    maxEjectedPercent = maxEjectedPercent != null ? maxEjectedPercent : 50;
    statuses = statuses != null ? List.copyOf(statuses) : List.of();
    grpcStatuses = grpcStatuses != null ? List.copyOf(grpcStatuses) : List.of();
  }

  public OutlierConfig(Integer consecutiveFailures, Duration baseEjection, Duration maxEjection, Integer maxEjectedPercent,
      List<Integer> statuses) {
    this(consecutiveFailures, baseEjection, maxEjection, maxEjectedPercent, statuses, null);
  }

  /** The default detection, on for every upstream that does not configure it. */
  public static OutlierConfig defaults() {
    return new OutlierConfig(null, null, null, null, null);
  }
}
