package io.portico.plugins.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Plugin;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Records one finished exchange into meters bound to this route. Meters are created at most once
 * per (method, status class, upstream) and then found by array index: nothing is looked up by name
 * per request. Label values are bounded: route names, standard methods, status classes, plugin
 * names. The per-plugin timers are bound to the chain's plugin names at create time; when a reload
 * keeps this instance but changes the rest of the chain, the first exchange of the new chain binds
 * them again, once.
 */
final class MetricsPlugin implements Plugin {
  static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.CONNECT, HttpMethod.TRACE);
  private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
  /** The 17 gRPC status codes by number: the bounded values of the {@code code} label. */
  static final String[] GRPC_CODES = {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
      "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};
  private static final Duration[] BUCKETS = {
      Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final String route;
  private final Timer duration;
  private final Counter bytesIn;
  private final Counter bytesOut;
  // index: method * CLASSES.length + class; the upstream name of a route is fixed per config
  private final AtomicReferenceArray<Counter> requests = new AtomicReferenceArray<>((METHODS.size() + 1) * CLASSES.length);
  private final AtomicReferenceArray<Counter> grpcResponses = new AtomicReferenceArray<>(GRPC_CODES.length);
  private volatile Timer upstreamDuration;
  private volatile PluginTimers pluginTimers;

  MetricsPlugin(MeterRegistry registry, String route, List<String> chain) {
    this.registry = registry;
    this.route = route;
    this.pluginTimers = PluginTimers.bind(registry, route, chain);
    this.duration = Timer.builder("portico.request.duration")
        .description("whole exchange, from request head to the last byte of the answer")
        .tag("route", route)
        .serviceLevelObjectives(BUCKETS) // /admin/stats estimates p50 and p99 from these buckets
        .register(registry);
    this.bytesIn = Counter.builder("portico.request.body").description("request body bytes received from clients").baseUnit("bytes").tag("route", route).register(registry);
    this.bytesOut = Counter.builder("portico.response.body").description("response body bytes sent to clients").baseUnit("bytes").tag("route", route).register(registry);
  }

  @Override
  public void onComplete(ExchangeLog log) {
    duration.record(log.durationNanos(), TimeUnit.NANOSECONDS);
    requestsCounter(log).increment();
    if (log.upstreamDurationNanos() >= 0 && log.upstreamName() != null) {
      upstreamTimer(log.upstreamName()).record(log.upstreamDurationNanos(), TimeUnit.NANOSECONDS);
    }
    bytesIn.increment(log.bytesReceived());
    bytesOut.increment(log.bytesSent());
    pluginTimers(log.pluginNames()).record(log);
    int grpc = log.grpcStatus();
    if (grpc >= 0 && grpc < GRPC_CODES.length) {
      grpcCounter(grpc).increment();
    }
  }

  /** {@code portico_grpc_responses_total{route,code}}: finished gRPC calls by the status the client got. */
  private Counter grpcCounter(int code) {
    Counter counter = grpcResponses.get(code);
    if (counter == null) {
      counter = Counter.builder("portico.grpc.responses").description("finished gRPC calls by route and gRPC status code")
          .tag("route", route)
          .tag("code", GRPC_CODES[code])
          .register(registry);
      grpcResponses.set(code, counter);
    }
    return counter;
  }

  private PluginTimers pluginTimers(List<String> chain) {
    PluginTimers timers = pluginTimers;
    if (timers.names() != chain) { // a chain compiled by a later reload
      timers = timers.names().equals(chain) ? timers.sameTimersFor(chain) : PluginTimers.bind(registry, route, chain);
      pluginTimers = timers;
    }
    return timers;
  }

  private Counter requestsCounter(ExchangeLog log) {
    int method = METHODS.indexOf(log.method());
    int methodIndex = method < 0 ? METHODS.size() : method;
    int statusClass = log.status() >= 100 && log.status() < 600 ? log.status() / 100 : 0;
    int index = methodIndex * CLASSES.length + statusClass;
    Counter counter = requests.get(index);
    if (counter == null) {
      counter = Counter.builder("portico.requests").description("finished exchanges by route, upstream, method and status class")
          .tag("route", route)
          .tag("upstream", log.upstreamName() != null ? log.upstreamName() : "none")
          .tag("method", method < 0 ? "OTHER" : log.method().name())
          .tag("status_class", CLASSES[statusClass])
          .register(registry);
      requests.set(index, counter);
    }
    return counter;
  }

  private Timer upstreamTimer(String upstream) {
    Timer timer = upstreamDuration;
    if (timer == null) {
      timer = Timer.builder("portico.upstream.duration")
          .description("waiting on the upstream, all tries")
          .tag("route", route).tag("upstream", upstream)
          .serviceLevelObjectives(BUCKETS)
          .register(registry);
      upstreamDuration = timer;
    }
    return timer;
  }
}
