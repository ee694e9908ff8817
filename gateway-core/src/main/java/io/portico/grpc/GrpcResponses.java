package io.portico.grpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code portico_grpc_responses_total{route,code}}: finished gRPC calls by route and gRPC status
 * name (at most the 17 codes per route). One instance per event loop, touched by that loop only;
 * each counter is registered once and then found by route and code index.
 */
public final class GrpcResponses {
  private final MeterRegistry registry;
  private final Map<String, Counter[]> byRoute = new HashMap<>();

  public GrpcResponses(MeterRegistry registry) {
    this.registry = registry;
  }

  public void count(String route, GrpcStatus status) {
    if (registry == null || route == null) {
      return;
    }
    Counter[] counters = byRoute.computeIfAbsent(route, r -> new Counter[GrpcStatus.values().length]);
    Counter counter = counters[status.code()];
    if (counter == null) {
      counter = Counter.builder("portico.grpc.responses")
          .description("finished gRPC calls by route and gRPC status code")
          .tag("route", route)
          .tag("code", status.name())
          .register(registry);
      counters[status.code()] = counter;
    }
    counter.increment();
  }
}
