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

  /** The call through the chain's interceptors; {@code call} itself when there are none. */
  public static Future<UpstreamResponse> run(CompiledChain chain, Exchange exchange,
      Supplier<Future<UpstreamResponse>> call) {
    return chain.interceptors().length == 0 ? call.get() : from(chain, 0, exchange, call);
  }

  private static Future<UpstreamResponse> from(CompiledChain chain, int index, Exchange exchange,
      Supplier<Future<UpstreamResponse>> call) {
    UpstreamInterceptor[] interceptors = chain.interceptors();
    UpstreamInterceptor interceptor = interceptors[index];
    Throwable failure;
    try {
      Future<UpstreamResponse> response = interceptor.intercept(exchange,
          index + 1 == interceptors.length ? call : () -> from(chain, index + 1, exchange, call));
      if (response != null) {
        return response;
      }
      failure = new IllegalStateException("interceptor returned null");
    } catch (Throwable t) { // an Error too: the exchange must still get its answer
      PluginFaults.rethrowIfFatal(t);
      failure = t;
    }
    PluginFailure named = PluginFailure.of(chain.interceptorName(index), interceptor, "intercept", failure);
    chain.faults().report(named.plugin(), interceptor, "intercept", failure);
    return Future.failedFuture(named);
  }
}
