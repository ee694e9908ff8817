package io.portico.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code upstreams[]:} a named group of endpoints, static or discovered.
 *
 * @param endpoints static endpoints: {@code host:port} strings or {@code {address, weight, zone}}
 * @param discovery {@code {type: etcd|kubernetes, ...}}, bound by that type's factory
 * @param balancer {@code round-robin} (default) or another balancer name
 * @param hashKey for {@code consistent-hash}: {@code header:X}, {@code cookie:X}, {@code query:X},
 *     {@code client-ip}, {@code path}
 * @param connectTimeout default 1s
 * @param maxConnections per endpoint and event loop, default 64
 * @param healthCheck active checks, or {@code null} for none
 * @param outlier passive detection; on with its defaults when absent
 * @param panicThreshold percent: when fewer of the endpoints than this are healthy, traffic spreads
 *     over all ready ones regardless of health; 0 (default) turns panic mode off
 * @param slowStart an endpoint that becomes healthy ramps its share up over this window (weighted
 *     balancers only); absent or 0 for none
 * @param tls TLS to the endpoints, or {@code null} for plain HTTP
 * @param adaptiveConcurrency a limit on the tries in flight learned from latency, or {@code null}
 *     for none
 * @param protocol {@code http1} (default), {@code h2c}, {@code h2} or {@code auto}
 * @param http2 the HTTP/2 connections, when {@code protocol} is not {@code http1}
 */
public record UpstreamConfig(
    String name,
    List<EndpointConfig> endpoints,
    ConfigNode discovery,
    String balancer,
    String hashKey,
    Duration connectTimeout,
    Integer maxConnections,
    HealthCheckConfig healthCheck,
    OutlierConfig outlier,
    Integer panicThreshold,
    Duration slowStart,
    UpstreamTlsConfig tls,
    AdaptiveConcurrencyConfig adaptiveConcurrency,
    UpstreamProtocol protocol,
    Http2Config http2) {
  public UpstreamConfig {
    protocol = protocol != null ? protocol : UpstreamProtocol.HTTP1;
    http2 = http2 != null ? http2 : Http2Config.defaults();
    balancer = balancer != null ? balancer : "round-robin";
    connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(1);
    maxConnections = maxConnections != null ? maxConnections : 64;
    outlier = outlier != null ? outlier : OutlierConfig.defaults();
    panicThreshold = panicThreshold != null ? panicThreshold : 0;
    slowStart = slowStart != null ? slowStart : Duration.ZERO;
  }

  /** An HTTP/1.1 upstream. */
  public UpstreamConfig(String name, List<EndpointConfig> endpoints, ConfigNode discovery, String balancer,
      String hashKey, Duration connectTimeout, Integer maxConnections, HealthCheckConfig healthCheck,
      OutlierConfig outlier, Integer panicThreshold, Duration slowStart, UpstreamTlsConfig tls,
      AdaptiveConcurrencyConfig adaptiveConcurrency) {
    this(name, endpoints, discovery, balancer, hashKey, connectTimeout, maxConnections, healthCheck, outlier,
        panicThreshold, slowStart, tls, adaptiveConcurrency, null, null);
  }

  /** An upstream without TLS. */
  public UpstreamConfig(String name, List<EndpointConfig> endpoints, ConfigNode discovery, String balancer,
      String hashKey, Duration connectTimeout, Integer maxConnections, HealthCheckConfig healthCheck,
      OutlierConfig outlier, Integer panicThreshold, Duration slowStart) {
    this(name, endpoints, discovery, balancer, hashKey, connectTimeout, maxConnections, healthCheck, outlier,
        panicThreshold, slowStart, null, null, null, null);
  }
}
