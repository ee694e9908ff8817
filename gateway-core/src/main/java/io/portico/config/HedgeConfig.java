package io.portico.config;

import java.time.Duration;
import java.util.Locale;

/**
 * {@code routes[].hedge:} when no answer head came within {@code after}, one more try of the same
 * idempotent request goes to another endpoint; the first answer head wins.
 *
 * @param after a duration ({@code 50ms}) or {@code p95}: the route's learned 95th percentile
 * @param maxExtra hedges per request at most, default 1
 * @param budgetPercent hedges at most this share of the route's requests, default 10
 */
public record HedgeConfig(After after, Integer maxExtra, Integer budgetPercent) {
  public HedgeConfig {
    if (after == null) {
      throw new IllegalArgumentException("after is required: a duration such as 50ms, or p95");
    }
    maxExtra = maxExtra != null ? maxExtra : 1;
    budgetPercent = budgetPercent != null ? budgetPercent : 10;
    if (maxExtra < 1 || maxExtra > 4) {
      throw new IllegalArgumentException("max-extra must be between 1 and 4");
    }
    if (budgetPercent < 1 || budgetPercent > 100) {
      throw new IllegalArgumentException("budget-percent must be between 1 and 100");
    }
  }

  /** {@code after:} a fixed delay, or the route's learned p95 ({@code millis} is then 0). */
  public record After(long millis, boolean p95) {
    public static After parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (t.equals("p95")) {
        return new After(0, true);
      }
      try {
        if (t.endsWith("ms")) {
          return fixed(Long.parseLong(t.substring(0, t.length() - 2).trim()));
        }
        if (t.endsWith("s")) {
          return fixed(Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim())).toMillis());
        }
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
      throw new IllegalArgumentException("after must be a duration such as 50ms, or p95, not \"" + text + "\"");
    }

    private static After fixed(long millis) {
      if (millis < 1) {
        throw new IllegalArgumentException("after must be at least 1ms");
      }
      return new After(millis, false);
    }
  }
}
