package io.portico.config;

import java.time.Duration;

/**
 * {@code overload:} how the gateway protects itself. Past a threshold new requests are refused
 * with {@code 503 overloaded} and {@code Connection: close}; the admin port is not affected.
 *
 * @param maxConnections open client connections per listener at most; beyond, a new connection is
 *     accepted and closed at once; absent: no cap
 * @param eventLoopLag shed while the measured delay of an event loop is above this
 * @param heap shed while the heap in use after the last GC is above this share of the maximum
 */
public record OverloadConfig(Integer maxConnections, Lag eventLoopLag, Heap heap) {
  public OverloadConfig {
    if (maxConnections != null && maxConnections < 1) {
      throw new IllegalArgumentException("max-connections must be at least 1");
    }
  }

  /** @param shedAbove the lag that turns shedding on; absent: lag is not watched */
  public record Lag(Duration shedAbove) {}

  /** @param shedAbove a share of the maximum heap such as {@code 90%}; absent: heap is not watched */
  public record Heap(Percent shedAbove) {}

  /** A share written {@code 90%} (or a bare number of percent). */
  public record Percent(double value) {
    public Percent {
      if (!(value > 0 && value <= 100)) {
        throw new IllegalArgumentException("a percentage must be above 0 and at most 100");
      }
    }

    public static Percent parse(String text) {
      String t = text.trim();
      if (t.endsWith("%")) {
        t = t.substring(0, t.length() - 1).trim();
      }
      try {
        return new Percent(Double.parseDouble(t));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a percentage such as 90%, not \"" + text + "\"");
      }
    }

    /** As a fraction of one. */
    public double fraction() {
      return value / 100;
    }
  }
}
