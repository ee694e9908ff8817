package io.portico.chain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.plugin.PluginCalls;
import io.portico.plugin.PluginJarLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when plugin code throws: which throwables the gateway survives, the metric
 * {@code portico.plugin.errors} (by plugin and phase) and a log line per plugin at most once a
 * minute, so a plugin failing on every request cannot flood the log.
 *
 * <p>Every call into plugin code catches {@link Throwable} (see {@link PluginCalls} for why): an
 * {@link Error} escaping a phase would leave the exchange without an answer.
 */
public final class PluginFaults {
  private static final Logger LOG = LoggerFactory.getLogger(PluginFaults.class);
  static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** Faults counted nowhere but logged: for calls made before a meter registry exists. */
  public static final PluginFaults LOG_ONLY = new PluginFaults(null);

  /** Last time each plugin's fault was logged, shared by every gateway of the process. */
  private static final ConcurrentHashMap<String, AtomicLong> LAST_LOGGED = new ConcurrentHashMap<>();

  private final MeterRegistry registry;

  public PluginFaults(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Rethrows {@code t} when the JVM itself is in trouble ({@link PluginCalls#fatal}). */
  static void rethrowIfFatal(Throwable t) {
    PluginCalls.rethrowIfFatal(t);
  }

  /**
   * Counts a failure of {@code plugin} in {@code phase} and logs it unless this plugin was logged
   * less than a minute ago.
   *
   * @param instance the plugin's object, to name its jar
   */
  public void report(String plugin, Object instance, String phase, Throwable cause) {
    if (registry != null) {
      Counter.builder("portico.plugin.errors").description("calls into plugin code that threw or failed")
          .tag("plugin", plugin).tag("phase", phase).register(registry).increment();
    }
    AtomicLong last = LAST_LOGGED.computeIfAbsent(plugin, p -> new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS));
    long now = System.nanoTime();
    long then = last.get();
    if (now - then >= LOG_INTERVAL_NANOS && last.compareAndSet(then, now)) {
      Throwable shown = cause instanceof PluginFailure failure && failure.getCause() != null ? failure.getCause() : cause;
      LOG.warn("plugin {} ({}) failed in {}; further failures of this plugin are logged at most once a minute "
          + "and counted in portico.plugin.errors", plugin, PluginJarLoader.originOf(instance), phase, shown);
    }
  }
}
