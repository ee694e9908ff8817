package io.portico.config.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code portico_config_propagation_seconds}: how long a config store change takes to go live on
 * this gateway. etcd does not store when a key was written, so two starts are measured, told
 * apart by the {@code from} tag:
 *
 * <ul>
 *   <li>{@code watch_event}: from the arrival of the watch event at this gateway to the moment the
 *       snapshot that includes it is live (parse, merge, validation, compilation, plugin warm-up,
 *       swap);
 *   <li>{@code admin_write}: from the start of an admin API write on this gateway (before its etcd
 *       put) to the moment this gateway runs the revision it wrote: the etcd round trip and the
 *       watch delivery included.
 * </ul>
 */
final class ConfigPropagation {
  private static final long FORGET_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Timer fromWatch;
  private final Timer fromAdmin;
  private final ConcurrentNavigableMap<Long, Long> writes = new ConcurrentSkipListMap<>();
  /** The newest revision live on this gateway; a write may learn its revision only after that. */
  private volatile long appliedRevision = -1;

  ConfigPropagation(MeterRegistry registry) {
    fromWatch = timer(registry, "watch_event");
    fromAdmin = timer(registry, "admin_write");
  }

  private static Timer timer(MeterRegistry registry, String from) {
    return Timer.builder("portico.config.propagation")
        .description("config store change to live snapshot on this gateway")
        .tag("from", from)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  /** An admin write started at {@code startNanos} was stored at {@code revision}. */
  void written(long revision, long startNanos) {
    writes.put(revision, startNanos);
    // The watch may have applied the revision before the put's answer reached this write; then
    // applied() has already drained the map, and the write is recorded here. remove() hands the
    // entry to exactly one of the two.
    if (revision <= appliedRevision && writes.remove(revision) != null) {
      fromAdmin.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** A snapshot built from changes that arrived from {@code sinceNanos} on is live at {@code revision}. */
  void applied(long revision, long sinceNanos) {
    long now = System.nanoTime();
    appliedRevision = Math.max(appliedRevision, revision);
    if (sinceNanos > 0) {
      fromWatch.record(now - sinceNanos, TimeUnit.NANOSECONDS);
    }
    for (Long written : writes.headMap(revision, true).keySet()) {
      Long start = writes.remove(written);
      if (start != null) {
        fromAdmin.record(now - start, TimeUnit.NANOSECONDS);
      }
    }
    writes.values().removeIf(start -> now - start > FORGET_NANOS); // written, never seen live (rejected, say)
  }
}
