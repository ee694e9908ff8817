package io.portico.runtime;

import io.portico.chain.CompiledChain;
import io.portico.config.ValidatedConfig;
import io.portico.route.RouteTable;
import io.portico.upstream.TrustedProxies;
import io.portico.upstream.Upstream;
import java.util.Map;

/**
 * Everything compiled from one validated config (by {@link ConfigCompiler}), immutable and shared
 * by all event loops; {@link GatewayRuntime} holds the one that runs. An exchange reads
 * the current snapshot once when its request head arrives and keeps it to the end.
 *
 * @param chains each route's chain by route name, for reuse by the next compilation
 * @param upstreams the running upstreams by name
 * @param feeds the running discovery sources, for reuse by the next compilation
 * @param subscriptions this snapshot's upstreams listening to those sources
 * @param defaultMaxBodySize {@code limits.max-body-size}, -1 for none
 */
public record CompiledConfig(
    ValidatedConfig config,
    RouteTable<RunningRoute> routes,
    TrustedProxies trustedProxies,
    Map<String, CompiledChain> chains,
    Map<String, Upstream> upstreams,
    GatewayView view,
    Map<io.portico.endpoint.DiscoveryKey, io.portico.endpoint.DiscoveredEndpoints> feeds,
    java.util.List<DiscoveryWiring.Subscription> subscriptions) {}
