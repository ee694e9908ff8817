package io.portico.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/**
 * Gauges of endpoint health per upstream ({@code portico_upstream_endpoints{upstream,state}}). A
 * gauge is registered once per upstream name and reads whichever tracker of that name is live, so a
 * reload that rebuilds an upstream does not leave the gauge reading the retired one.
 */
final class HealthGauges {
  private static final Map<MeterRegistry, Map<String, AtomicReference<UpstreamHealth>>> LIVE = new ConcurrentHashMap<>();

  private HealthGauges() {}

  /** The slot the gauges of {@code upstream} in {@code registry} read from. */
  static AtomicReference<UpstreamHealth> slot(MeterRegistry registry, String upstream) {
    return LIVE.computeIfAbsent(registry, r -> new ConcurrentHashMap<>()).computeIfAbsent(upstream, name -> {
      AtomicReference<UpstreamHealth> live = new AtomicReference<>();
      gauge(registry, name, "serving", live, UpstreamHealth::servingCount);
      gauge(registry, name, "unhealthy", live, UpstreamHealth::unhealthyCount);
      gauge(registry, name, "ejected", live, UpstreamHealth::ejectedCount);
      Gauge.builder("portico.upstream.panic", live, ref -> ref.get() != null && ref.get().panic() ? 1 : 0)
          .description("1 while the upstream is in panic mode").tag("upstream", name).register(registry);
      return live;
    });
  }

  private static void gauge(MeterRegistry registry, String upstream, String state, AtomicReference<UpstreamHealth> live,
      ToIntFunction<UpstreamHealth> count) {
    Gauge.builder("portico.upstream.endpoints", live, ref -> ref.get() == null ? Double.NaN : count.applyAsInt(ref.get()))
        .description("Endpoints of the upstream by state").tag("upstream", upstream).tag("state", state)
        .register(registry);
  }
}
