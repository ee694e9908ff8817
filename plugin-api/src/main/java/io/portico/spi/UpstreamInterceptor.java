package io.portico.spi;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Wraps the upstream call of a route: circuit breakers, bulkheads, fallbacks. A {@link Plugin}
 * that also implements this interface is detected when the chain is compiled. Interceptors nest
 * in chain order: the first plugin's interceptor is the outermost.
 *
 * <p>The call covers all tries of the route's retry policy. Called on the exchange's event loop;
 * must not block.
 */
public interface UpstreamInterceptor {

  /**
   * Runs the upstream call through {@code call} at most once, or answers without it by returning
   * {@link UpstreamResponse#of(Reply)}. The call's future fails with {@link UpstreamFailure} on
   * connect failure, reset, timeout or when no endpoint is available.
   */
  Future<UpstreamResponse> intercept(Exchange exchange, Supplier<Future<UpstreamResponse>> call);
}
