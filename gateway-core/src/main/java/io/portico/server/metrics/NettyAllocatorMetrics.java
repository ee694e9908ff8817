package io.portico.server.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.util.function.ToDoubleFunction;

/**
 * Gauges on the memory of Netty's default allocator, the one the listeners (through Vert.x) and the
 * upstream connections allocate from: {@code portico_netty_allocator_used_bytes{type=direct|heap}},
 * and for the pooled allocator {@code portico_netty_allocator_arenas{type}}. Since Netty 4.2 the
 * default is the adaptive allocator (system property {@code io.netty.allocator.type} picks
 * another), so {@code PooledByteBufAllocator.DEFAULT} would mostly show an allocator nobody uses.
 */
public final class NettyAllocatorMetrics implements MeterBinder {
  private final ByteBufAllocator allocator;

  public NettyAllocatorMetrics() {
    this(ByteBufAllocator.DEFAULT);
  }

  NettyAllocatorMetrics(ByteBufAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    if (!(allocator instanceof ByteBufAllocatorMetricProvider provider)) {
      return;
    }
    ByteBufAllocatorMetric metric = provider.metric();
    String kind = kind(allocator);
    used(registry, metric, "direct", kind, ByteBufAllocatorMetric::usedDirectMemory);
    used(registry, metric, "heap", kind, ByteBufAllocatorMetric::usedHeapMemory);
    if (metric instanceof PooledByteBufAllocatorMetric pooled) {
      Gauge.builder("portico.netty.allocator.arenas", pooled, PooledByteBufAllocatorMetric::numDirectArenas)
          .description("arenas of the pooled allocator").tag("type", "direct").register(registry);
      Gauge.builder("portico.netty.allocator.arenas", pooled, PooledByteBufAllocatorMetric::numHeapArenas)
          .description("arenas of the pooled allocator").tag("type", "heap").register(registry);
    }
  }

  private static void used(MeterRegistry registry, ByteBufAllocatorMetric metric, String type, String kind,
      ToDoubleFunction<ByteBufAllocatorMetric> value) {
    Gauge.builder("portico.netty.allocator.used", metric, value)
        .description("memory held by Netty's default allocator (" + kind + "), in use or cached for reuse")
        .baseUnit("bytes")
        .tag("type", type)
        .strongReference(true)
        .register(registry);
  }

  private static String kind(ByteBufAllocator allocator) {
    if (allocator instanceof PooledByteBufAllocator) {
      return "pooled";
    }
    String name = allocator.getClass().getSimpleName();
    return name.startsWith("Adaptive") ? "adaptive" : name.startsWith("Unpooled") ? "unpooled" : name;
  }
}
