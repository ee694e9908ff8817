package io.portico.runtime;

import io.portico.chain.CompiledChain;
import io.portico.config.RouteConfig;
import io.portico.exchange.ProxyExchange;
import io.portico.route.RouteRequest;
import io.portico.route.split.TrafficSplit;
import io.portico.spi.Exchange;
import io.portico.upstream.RequestMirror;
import io.portico.upstream.RetryPolicy;
import io.portico.upstream.Upstream;
import io.vertx.core.http.HttpMethod;

/**
 * A route of the running snapshot, with everything the request path needs resolved: its chain,
 * its upstreams, its timeout and body limit.
 *
 * @param upstream the route's default upstream: its {@code upstream}, or the first of its
 *     {@code split} (for views and code that needs one); requests go to {@link #upstreamFor}
 * @param traffic canary rules and weighted split, {@code null} when every request goes to
 *     {@code upstream}
 * @param mirror where copies of the requests go, {@code null} for none
 * @param timeoutMillis deadline for the upstream answer head, 0 for none
 * @param maxBodySize request body limit in bytes, -1 for none
 * @param retry the route's retry policy and budget
 */
public record CompiledRoute(String name, RouteConfig config, CompiledChain chain, Upstream upstream, TrafficSplit<Upstream> traffic,
    RequestMirror mirror, long timeoutMillis, long maxBodySize, RetryPolicy retry) {

  /**
   * The upstream of this exchange: the first matching canary rule's, else the split's pick, else
   * the route's upstream. Chosen at the first call and remembered on the exchange, so every try of
   * the exchange goes to the same upstream.
   */
  public Upstream upstreamFor(Exchange exchange) {
    if (traffic == null) {
      return upstream;
    }
    if (exchange instanceof ProxyExchange proxy) {
      Upstream chosen = proxy.trace.upstream;
      if (chosen == null) {
        chosen = traffic.choose(proxy.loop.index, proxy);
        proxy.trace.upstream = chosen;
      }
      return chosen;
    }
    return traffic.choose(-1, new ExchangeHeaders(exchange));
  }

  /** The headers of an exchange that is not the gateway's own (a test double), as the canary rules read them. */
  private record ExchangeHeaders(Exchange exchange) implements RouteRequest {
    @Override
    public String host() {
      return exchange.host();
    }

    @Override
    public String path() {
      return exchange.path();
    }

    @Override
    public HttpMethod method() {
      return exchange.method();
    }

    @Override
    public String header(String name) {
      return exchange.requestHeaders().get(name);
    }

    @Override
    public String queryParam(String name) {
      return exchange.queryParam(name);
    }
  }
}
