package io.portico.plugins.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.portico.spi.Decision;
import io.portico.spi.Exchange;
import io.portico.spi.ExchangeLog;
import io.portico.spi.Key;
import io.portico.spi.Plugin;
import io.portico.spi.UpstreamFailure;
import io.portico.spi.UpstreamInterceptor;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The spans of one route. Contexts travel in exchange keys, never in thread-locals: an exchange
 * hops between callbacks on its event loop, and thread-local context would leak between exchanges.
 */
final class TracingPlugin implements Plugin, UpstreamInterceptor {
  private static final Key<Span> SERVER_SPAN = Key.of("tracing.server-span", Span.class);
  private static final Key<Context> SERVER_CONTEXT = Key.of("tracing.server-context", Context.class);

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final String route;

  TracingPlugin(Tracer tracer, TextMapPropagator propagator, String route) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.route = route;
  }

  @Override
  public Future<Decision> onRequest(Exchange exchange) {
    Context parent = propagator.extract(Context.root(), exchange.requestHeaders(), HeaderCarrier.GETTER);
    Span server = tracer.spanBuilder(exchange.method().name() + " " + route)
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.request.method", exchange.method().name())
        .setAttribute("url.path", exchange.path())
        .setAttribute("http.route", route)
        .setAttribute("client.address", exchange.clientIp())
        .startSpan();
    exchange.put(SERVER_SPAN, server);
    exchange.put(SERVER_CONTEXT, parent.with(server));
    if (server.getSpanContext().isValid()) {
      exchange.put(TraceIds.KEY, server.getSpanContext().getTraceId());
    }
    return Decision.next().asFuture();
  }

  @Override
  public Future<UpstreamResponse> intercept(Exchange exchange, Supplier<Future<UpstreamResponse>> call) {
    Context serverContext = exchange.get(SERVER_CONTEXT);
    if (serverContext == null) {
      return call.get();
    }
    Span client = tracer.spanBuilder("upstream " + route)
        .setParent(serverContext)
        .setSpanKind(SpanKind.CLIENT)
        .startSpan();
    propagator.inject(serverContext.with(client), exchange.requestHeaders(), HeaderCarrier.SETTER);
    return call.get().andThen(outcome -> {
      if (outcome.succeeded()) {
        UpstreamResponse response = outcome.result();
        client.setAttribute("http.response.status_code", response.status());
        if (response.endpoint() != null) {
          client.setAttribute("server.address", response.endpoint());
        }
        if (response.status() >= 500) {
          client.setStatus(StatusCode.ERROR);
        }
      } else {
        client.setStatus(StatusCode.ERROR, outcome.cause() instanceof UpstreamFailure f ? f.kind().error() : "upstream_error");
      }
      client.end();
    });
  }

  @Override
  public void onComplete(ExchangeLog log) {
    Span server = log.get(SERVER_SPAN);
    if (server == null) {
      return;
    }
    server.setAttribute("http.response.status_code", log.status());
    if (log.errorCode() != null) {
      server.setAttribute("error.type", log.errorCode());
    }
    if (log.grpcStatus() >= 0) {
      server.setAttribute("rpc.system", "grpc");
      server.setAttribute("rpc.grpc.status_code", log.grpcStatus());
    }
    if (log.status() >= 500 || log.status() == 0 || isServerError(log.grpcStatus())) {
      server.setStatus(StatusCode.ERROR);
    }
    server.end();
  }

  /**
   * The gRPC codes a server span counts as errors (OpenTelemetry's gRPC conventions): UNKNOWN,
   * DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE and DATA_LOSS.
   */
  private static boolean isServerError(int grpcStatus) {
    return grpcStatus == 2 || grpcStatus == 4 || grpcStatus == 12 || grpcStatus == 13 || grpcStatus == 14 || grpcStatus == 15;
  }
}
