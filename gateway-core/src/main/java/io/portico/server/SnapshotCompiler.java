package io.portico.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.portico.GatewaySnapshot;
import io.portico.balance.Balancers;
import io.portico.chain.ChainCompiler;
import io.portico.chain.CompiledChain;
import io.portico.balance.BalancerFactory;
import io.portico.chain.GatewayPluginContext;
import io.portico.config.DiscoveryBinding;
import io.portico.config.GatewayConfig;
import io.portico.config.PluginBinding;
import io.portico.config.RouteConfig;
import io.portico.config.UpstreamConfig;
import io.portico.config.ValidatedConfig;
import io.portico.endpoint.EndpointSet;
import io.portico.endpoint.StaticEndpoints;
import io.portico.route.RouteEntry;
import io.portico.route.RouteTable;
import io.portico.spi.Plugin;
import io.portico.upstream.ClientSettings;
import io.portico.upstream.TrustedProxies;
import io.portico.upstream.Upstream;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a validated config into a {@link RuntimeSnapshot}: upstreams with their endpoint sets
 * and per-loop balancers, each route's plugin chain (reusing unchanged plugins of the running
 * snapshot) and the route table. Runs off the event loops.
 */
public final class SnapshotCompiler {
  private final Vertx vertx;
  private final MeterRegistry meterRegistry;
  private final int loops;

  public SnapshotCompiler(Vertx vertx, MeterRegistry meterRegistry, int loops) {
    this.vertx = vertx;
    this.meterRegistry = meterRegistry;
    this.loops = loops;
  }

  /** A compiled snapshot and the plugins it created and replaced. */
  public record Compilation(RuntimeSnapshot snapshot, List<Plugin> created, List<Plugin> replaced, ChainCompiler chains,
      DiscoveryWiring discovery) {
    /** Closes the created plugins and discovery sources of a snapshot that will not go live. */
    public void abandon() {
      chains.abandon();
      discovery.abandon();
    }

    /** After the swap: stops what only {@code retired} used. */
    public void retire(RuntimeSnapshot retired) {
      DiscoveryWiring.retire(retired, snapshot);
    }
  }

  /** Stops every discovery source of {@code snapshot} (gateway shutdown). */
  public static void stopDiscovery(RuntimeSnapshot snapshot) {
    DiscoveryWiring.closeAll(snapshot);
  }

  /**
   * @param previous the running snapshot, or {@code null} at start
   */
  public Compilation compile(ValidatedConfig config, RuntimeSnapshot previous) {
    GatewayConfig gateway = config.gateway();
    ChainCompiler chains = new ChainCompiler(vertx, meterRegistry, config.baseDir(),
        previous == null ? Map.of() : previous.chains());
    DiscoveryWiring discovery = new DiscoveryWiring(previous == null ? Map.of() : previous.feeds());
    try {
      Map<String, Upstream> upstreams = upstreams(config, discovery);
      long defaultLimit = gateway.limits().maxBodySize() == null ? -1 : gateway.limits().maxBodySize();
      List<RouteEntry<CompiledRoute>> entries = new ArrayList<>();
      Map<String, CompiledChain> byRoute = new HashMap<>();
      List<GatewaySnapshot.RouteView> routeViews = new ArrayList<>();
      for (RouteConfig route : gateway.routes() == null ? List.<RouteConfig>of() : gateway.routes()) {
        List<PluginBinding> bindings = config.routePlugins() == null ? null : config.routePlugins().get(route.name());
        CompiledChain chain = chains.compile(route.name(), bindings);
        Upstream upstream = upstreams.get(route.upstream());
        if (upstream == null) {
          throw new IllegalArgumentException("route " + route.name() + ": no upstream named " + route.upstream());
        }
        long limit = route.maxBodySize() != null ? route.maxBodySize() : defaultLimit;
        CompiledRoute compiled = new CompiledRoute(route.name(), route, chain, upstream, route.timeout().toMillis(), limit);
        entries.add(new RouteEntry<>(route, compiled));
        byRoute.put(route.name(), chain);
        routeViews.add(new GatewaySnapshot.RouteView(route, chain.views()));
      }
      List<GatewaySnapshot.UpstreamView> upstreamViews = new ArrayList<>();
      for (Upstream upstream : upstreams.values()) {
        upstreamViews.add(new GatewaySnapshot.UpstreamView(upstream.name(), upstream.balancer(), upstream.endpoints()));
      }
      GatewaySnapshot view = new GatewaySnapshot(config.version(), config.source(), Instant.now(), routeViews, upstreamViews);
      RuntimeSnapshot snapshot = new RuntimeSnapshot(config, RouteTable.compile(entries),
          TrustedProxies.of(gateway.trustedProxies()), Map.copyOf(byRoute), upstreams, view,
          discovery.feeds(), discovery.subscriptions());
      return new Compilation(snapshot, chains.created(), chains.replaced(), chains, discovery);
    } catch (RuntimeException e) {
      chains.abandon();
      discovery.abandon();
      throw e;
    }
  }

  private Map<String, Upstream> upstreams(ValidatedConfig validated, DiscoveryWiring discovery) {
    GatewayConfig gateway = validated.gateway();
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    Map<ClientSettings, ClientSettings> settings = new HashMap<>();
    for (UpstreamConfig config : gateway.upstreams() == null ? List.<UpstreamConfig>of() : gateway.upstreams()) {
      ClientSettings wanted = new ClientSettings((int) config.connectTimeout().toMillis(), config.maxConnections());
      ClientSettings shared = settings.computeIfAbsent(wanted, s -> s); // one instance per kind
      BalancerFactory balancer = Balancers.factory(config.balancer(), config.hashKey(), config.name());
      EndpointSet endpoints = EndpointSet.of(StaticEndpoints.of(config.endpoints()), balancer, loops);
      Upstream upstream = new Upstream(config.name(), config.balancer(), shared, endpoints);
      DiscoveryBinding binding = validated.upstreamDiscovery().get(config.name());
      if (binding != null) {
        discovery.feed(upstream, binding, balancer, loops,
            new GatewayPluginContext(vertx, "upstream:" + config.name(), meterRegistry, validated.baseDir()));
      }
      upstreams.put(config.name(), upstream);
    }
    return upstreams;
  }
}
