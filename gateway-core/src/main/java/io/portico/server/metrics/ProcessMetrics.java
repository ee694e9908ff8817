package io.portico.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/**
 * The process-wide meters a running server adds to its registry, whatever plugins are configured:
 * JVM memory, GC, threads and uptime (not Micrometer's CPU binder: its series fail
 * {@code promtool check metrics}); the Vert.x worker pool (where blocking work runs) as
 * {@code portico_executor_*{name="vertx-worker"}}; Netty's allocator ({@link NettyAllocatorMetrics}).
 * {@link #close()} unhooks the GC listener when the server stops.
 */
public final class ProcessMetrics implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  private ProcessMetrics() {}

  /** Binds the meters to {@code registry}. */
  public static ProcessMetrics bind(MeterRegistry registry, Vertx vertx) {
    ProcessMetrics metrics = new ProcessMetrics();
    new JvmMemoryMetrics().bindTo(registry);
    metrics.gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (vertx instanceof VertxInternal internal) {
      new ExecutorServiceMetrics(internal.workerPool().executor(), "vertx-worker", "portico", Tags.empty())
          .bindTo(registry);
    }
    new NettyAllocatorMetrics().bindTo(registry);
    return metrics;
  }

  @Override
  public void close() {
    gc.close();
  }
}
