package io.portico.plugins.breaker;

import io.micrometer.core.instrument.Gauge;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Key;
import io.portico.spi.Plugin;
import io.portico.spi.PluginContext;
import io.portico.spi.Reply;
import io.portico.spi.UpstreamInterceptor;
import io.portico.spi.UpstreamResponse;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The breaker of one route: wraps the upstream call ({@link UpstreamInterceptor}), so an open
 * circuit answers before any try or retry reaches the upstream; and the bulkhead, which admits a
 * request in {@code onRequest} and releases it in {@code onComplete}.
 */
final class CircuitBreakerPlugin implements Plugin, UpstreamInterceptor {
  private static final Key<Boolean> ADMITTED = Key.of("circuit-breaker.admitted", Boolean.class);
  private static final Reply BULKHEAD_FULL = Reply.error(503, "bulkhead_full", "too many concurrent requests on this route");

  private final RouteBreaker breaker;
  private final Reply fallback;
  private final Integer maxConcurrent;
  private final AtomicInteger inFlight = new AtomicInteger();

  CircuitBreakerPlugin(CircuitBreakerConfig config, PluginContext context) {
    this.breaker = new RouteBreaker(context.vertx(), context.routeName(), config);
    this.fallback = fallbackReply(config.fallback());
    this.maxConcurrent = config.bulkhead() != null ? config.bulkhead().maxConcurrent() : null;
    Gauge.builder("portico.breaker.state", breaker, b -> stateCode(b.state()))
        .description("circuit state: 0 closed, 1 open, 2 half-open")
        .tag("route", context.routeName())
        .register(context.meterRegistry());
  }

  private static Reply fallbackReply(CircuitBreakerConfig.Fallback config) {
    if (config == null) {
      return null;
    }
    Reply reply = Reply.status(config.status());
    for (Map.Entry<String, String> header : config.headers().entrySet()) {
      reply = reply.withHeader(header.getKey(), header.getValue());
    }
    return config.body() != null ? reply.withBody(Buffer.buffer(config.body())) : reply;
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    if (maxConcurrent == null) {
      return Decision.next().asFuture();
    }
    if (inFlight.incrementAndGet() > maxConcurrent) {
      inFlight.decrementAndGet();
      return BULKHEAD_FULL.asFuture();
    }
    exchange.put(ADMITTED, Boolean.TRUE);
    return Decision.next().asFuture();
  }

  @Override
  public void onComplete(ExchangeLog log) {
    if (log.get(ADMITTED) != null) {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public Future<UpstreamResponse> intercept(Exchange exchange, Supplier<Future<UpstreamResponse>> call) {
    return breaker.call(call).map(response -> response != null ? response : UpstreamResponse.of(openReply()));
  }

  private Reply openReply() {
    if (fallback != null) {
      return fallback;
    }
    return Reply.error(503, "circuit_open", "the upstream of this route is failing; retry later")
        .withHeader("Retry-After", Long.toString(breaker.secondsUntilHalfOpen()));
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("state", stateName(breaker.state()));
    status.put("failures", breaker.failureCount());
    if (maxConcurrent != null) {
      status.put("in_flight", inFlight.get());
      status.put("max_concurrent", maxConcurrent);
    }
    return status;
  }

  @Override
  public Future<Void> close() {
    breaker.close();
    return Future.succeededFuture();
  }

  static String stateName(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> "closed";
      case OPEN -> "open";
      case HALF_OPEN -> "half_open";
    };
  }

  static int stateCode(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case OPEN -> 1;
      case HALF_OPEN -> 2;
    };
  }
}
