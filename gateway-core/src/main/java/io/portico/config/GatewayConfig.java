package io.portico.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole gateway config, as bound from {@code routes/gateway.yaml} (and the files it includes)
 * or from etcd. Immutable; a reload builds a new one.
 *
 * @param listen the client-facing listener
 * @param admin the admin server
 * @param config where config comes from and whether files are watched
 * @param discovery gateway-wide settings of each discovery type, keyed by type, bound by the
 *     matching {@code EndpointSourceFactory}
 * @param trustedProxies CIDRs whose {@code X-Forwarded-*} and {@code Forwarded} headers are
 *     believed
 * @param pluginsDir folder of drop-in plugin jars
 * @param limits protocol limits of the listener
 * @param upstreams named groups of endpoints
 * @param routes the route table
 * @param plugins global plugins, applied to every route unless the route overrides or disables
 *     them
 * @param overload the gateway's own protection: connection cap, event-loop lag, heap
 */
public record GatewayConfig(
    ListenConfig listen,
    AdminConfig admin,
    ConfigSettings config,
    Map<String, ConfigNode> discovery,
    List<String> trustedProxies,
    String pluginsDir,
    LimitsConfig limits,
    Duration drainTimeout,
    List<UpstreamConfig> upstreams,
    List<RouteConfig> routes,
    Map<String, ConfigNode> plugins,
    OverloadConfig overload) {

  public GatewayConfig {
    listen = listen != null ? listen : new ListenConfig(null, null, null, null);
    admin = admin != null ? admin : new AdminConfig(null, null, null);
    config = config != null ? config : new ConfigSettings(null, null, null);
    limits = limits != null ? limits : new LimitsConfig(null, null, null, null, null, null, null);
    drainTimeout = drainTimeout != null ? drainTimeout : Duration.ofSeconds(15);
    overload = overload != null ? overload : new OverloadConfig(null, null, null);
  }
}
