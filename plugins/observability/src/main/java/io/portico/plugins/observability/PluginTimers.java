package io.portico.plugins.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portico.spi.ExchangeLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code portico.plugin.duration{route,plugin}} timers of one route's chain, by chain index, so
 * recording an exchange is a loop over an array. Immutable.
 */
final class PluginTimers {
  /** Fewer buckets than the request timers: there is one of these per plugin of each route. */
  private static final Duration[] BUCKETS = {
      Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(5)};

  private final List<String> names;
  private final Timer[] timers;

  private PluginTimers(List<String> names, Timer[] timers) {
    this.names = names;
    this.timers = timers;
  }

  /** Registers (or finds) the timers of {@code names} on {@code route}. */
  static PluginTimers bind(MeterRegistry registry, String route, List<String> names) {
    Timer[] timers = new Timer[names.size()];
    for (int i = 0; i < timers.length; i++) {
      timers[i] = Timer.builder("portico.plugin.duration")
          .description("time in a plugin's onRequest and onResponse phases of one exchange, waiting included")
          .tag("route", route)
          .tag("plugin", names.get(i))
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
    }
    return new PluginTimers(names, timers);
  }

  /** The names these timers are bound to, in chain order. */
  List<String> names() {
    return names;
  }

  /** The same timers, known under an equal list instance. */
  PluginTimers sameTimersFor(List<String> equalNames) {
    return new PluginTimers(equalNames, timers);
  }

  /** Records the time of each plugin that ran; {@code log} must come from a chain of {@link #names()}. */
  void record(ExchangeLog log) {
    for (int i = 0; i < timers.length; i++) {
      long nanos = log.pluginNanos(i);
      if (nanos >= 0) {
        timers[i].record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }
}
