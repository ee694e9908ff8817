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
 */
public record UpstreamConfig(
    String name,
    List<EndpointConfig> endpoints,
    ConfigNode discovery,
    String balancer,
    String hashKey,
    Duration connectTimeout,
    Integer maxConnections) {
  public UpstreamConfig {
    balancer = balancer != null ? balancer : "round-robin";
    connectTimeout = connectTimeout != null ? connectTimeout : Duration.ofSeconds(1);
    maxConnections = maxConnections != null ? maxConnections : 64;
  }
}
