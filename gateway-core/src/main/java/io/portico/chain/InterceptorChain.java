package io.portico.chain;

import io.portico.spi.Exchange;
import io.portico.spi.UpstreamInterceptor;
import io.portico.spi.UpstreamResponse;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs an upstream call through a route's interceptors, the first one outermost. An interceptor that
 * throws or returns nothing fails the call (the exchange answers {@code plugin_error}).
 */
public final class InterceptorChain {
  private InterceptorChain() {}

  /** The call through {@code interceptors}; {@code call} itself when there are none. */
  public static Future<UpstreamResponse> run(UpstreamInterceptor[] interceptors, Exchange exchange,
      Supplier<Future<UpstreamResponse>> call) {
    return interceptors.length == 0 ? call.get() : from(interceptors, 0, exchange, call);
  }

  private static Future<UpstreamResponse> from(UpstreamInterceptor[] interceptors, int index, Exchange exchange,
      Supplier<Future<UpstreamResponse>> call) {
    try {
      Future<UpstreamResponse> response = interceptors[index].intercept(exchange,
          index + 1 == interceptors.length ? call : () -> from(interceptors, index + 1, exchange, call));
      return response != null ? response : Future.failedFuture(new IllegalStateException("interceptor returned null"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
