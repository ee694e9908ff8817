package io.portico.runtime;

import io.portico.upstream.RequestMirror;
import io.portico.upstream.RetryPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import io.portico.balance.Balancers;
import io.portico.chain.ChainCompiler;
import io.portico.chain.CompiledChain;
import io.portico.balance.BalancerFactory;
import io.portico.chain.GatewayPluginContext;
import io.portico.config.CanaryConfig;
import io.portico.config.DiscoveryBinding;
import io.portico.config.GatewayConfig;
import io.portico.config.MirrorConfig;
import io.portico.config.PluginBinding;
import io.portico.config.RouteConfig;
import io.portico.config.SplitConfig;
import io.portico.config.UpstreamConfig;
import io.portico.config.ValidatedConfig;
import io.portico.health.HealthChecker;
import io.portico.health.UpstreamHealth;
import io.portico.endpoint.StaticEndpoints;
import io.portico.route.RouteEntry;
import io.portico.route.RouteTable;
import io.portico.route.split.CanaryRule;
import io.portico.route.split.TrafficSplit;
import io.portico.spi.GatewayStats;
import io.portico.spi.Plugin;
import io.portico.upstream.ClientSettings;
import io.portico.upstream.ConcurrencyLimit;
import io.portico.upstream.HedgePolicy;
import io.portico.upstream.TrustedProxies;
import io.portico.upstream.Upstream;
import io.portico.upstream.UpstreamTls;
import io.portico.upstream.UpstreamTlsContexts;
import java.nio.file.Path;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a validated config into a {@link CompiledConfig}: upstreams with their endpoint sets
 * and per-loop balancers, each route's plugin chain (reusing unchanged plugins of the running
 * snapshot) and the route table. Runs off the event loops.
 */
public final class ConfigCompiler {
  private final Vertx vertx;
  private final MeterRegistry meterRegistry;
  private final GatewayStats stats;
  private final int loops;

  /** @param stats what plugins see as {@link io.portico.spi.PluginContext#gatewayStats()} */
  public ConfigCompiler(Vertx vertx, MeterRegistry meterRegistry, GatewayStats stats, int loops) {
    this.vertx = vertx;
    this.meterRegistry = meterRegistry;
    this.stats = stats;
    this.loops = loops;
  }

  /** A compiled snapshot and the plugins it created and replaced. */
  public record Compilation(CompiledConfig snapshot, List<Plugin> created, List<Plugin> replaced, ChainCompiler chains,
      DiscoveryWiring discovery, CompiledConfig previous) {
    /** Closes the created plugins, discovery sources and upstreams of a snapshot that will not go live. */
    public void abandon() {
      chains.abandon();
      discovery.abandon();
      closeUpstreams(snapshot, previous);
    }

    /** The snapshot went live: its upstreams start their health checks. */
    public void start() {
      snapshot.upstreams().values().forEach(Upstream::start);
    }

    /** After the swap: starts what is new and stops what only {@code retired} used. */
    public void retire(CompiledConfig retired) {
      start();
      DiscoveryWiring.retire(retired, snapshot);
      closeUpstreams(retired, snapshot);
    }
  }

  /** Closes the upstreams of {@code snapshot} that {@code kept} (may be null) does not use. */
  private static void closeUpstreams(CompiledConfig snapshot, CompiledConfig kept) {
    for (Upstream upstream : snapshot.upstreams().values()) {
      if (kept == null || kept.upstreams().get(upstream.name()) != upstream) {
        upstream.close();
      }
    }
  }

  /** Stops every discovery source of {@code snapshot} (gateway shutdown). */
  public static void stopDiscovery(CompiledConfig snapshot) {
    DiscoveryWiring.closeAll(snapshot);
    closeUpstreams(snapshot, null);
  }

  /**
   * @param previous the running snapshot, or {@code null} at start
   */
  public Compilation compile(ValidatedConfig config, CompiledConfig previous) {
    GatewayConfig gateway = config.gateway();
    ChainCompiler chains = new ChainCompiler(vertx, meterRegistry, config.baseDir(), stats,
        previous == null ? Map.of() : previous.chains());
    DiscoveryWiring discovery = new DiscoveryWiring(previous == null ? Map.of() : previous.feeds());
    try {
      Map<String, Upstream> upstreams = upstreams(config, discovery, previous);
      long defaultLimit = gateway.limits().maxBodySize() == null ? -1 : gateway.limits().maxBodySize();
      List<RouteEntry<RunningRoute>> entries = new ArrayList<>();
      Map<String, CompiledChain> byRoute = new HashMap<>();
      List<GatewayView.RouteView> routeViews = new ArrayList<>();
      for (RouteConfig route : gateway.routes() == null ? List.<RouteConfig>of() : gateway.routes()) {
        List<PluginBinding> bindings = config.routePlugins() == null ? null : config.routePlugins().get(route.name());
        CompiledChain chain = chains.compile(route.name(), bindings);
        Upstream upstream = upstream(upstreams, route, route.defaultUpstream());
        long limit = route.maxBodySize() != null ? route.maxBodySize() : defaultLimit;
        RetryPolicy retry = new RetryPolicy(route.name(), route.retries(), route.timeout().toMillis(), loops, meterRegistry);
        RunningRoute compiled = new RunningRoute(route.name(), route, chain, upstream, traffic(upstreams, route),
            mirror(upstreams, route), route.timeout().toMillis(), limit, retry,
            route.hedge() == null ? null : new HedgePolicy(route.name(), route.hedge(), loops, meterRegistry));
        entries.add(new RouteEntry<>(route, compiled));
        byRoute.put(route.name(), chain);
        routeViews.add(new GatewayView.RouteView(route, chain.views()));
      }
      List<GatewayView.UpstreamView> upstreamViews = new ArrayList<>();
      for (Upstream upstream : upstreams.values()) {
        upstreamViews.add(new GatewayView.UpstreamView(upstream.name(), upstream.balancer(), upstream.endpoints()));
      }
      GatewayView view = new GatewayView(config.version(), config.source(), Instant.now(), routeViews, upstreamViews);
      CompiledConfig snapshot = new CompiledConfig(config, RouteTable.compile(entries),
          TrustedProxies.of(gateway.trustedProxies()), Map.copyOf(byRoute), upstreams, view,
          discovery.feeds(), discovery.subscriptions());
      return new Compilation(snapshot, chains.created(), chains.replaced(), chains, discovery, previous);
    } catch (RuntimeException e) {
      chains.abandon();
      discovery.abandon();
      throw e;
    }
  }

  private static Upstream upstream(Map<String, Upstream> upstreams, RouteConfig route, String name) {
    Upstream upstream = upstreams.get(name);
    if (upstream == null) {
      throw new IllegalArgumentException("route " + route.name() + ": no upstream named " + name);
    }
    return upstream;
  }

  /** The route's canary rules and weighted split, or {@code null} when it has one upstream only. */
  private TrafficSplit<Upstream> traffic(Map<String, Upstream> upstreams, RouteConfig route) {
    if (route.split().size() <= 1 && route.canary().isEmpty()) {
      return null;
    }
    List<TrafficSplit.Weighted<Upstream>> split = new ArrayList<>();
    if (route.split().isEmpty()) {
      split.add(new TrafficSplit.Weighted<>(upstream(upstreams, route, route.upstream()), 1));
    }
    for (SplitConfig entry : route.split()) {
      split.add(new TrafficSplit.Weighted<>(upstream(upstreams, route, entry.upstream()), entry.weight()));
    }
    List<CanaryRule<Upstream>> canaries = new ArrayList<>();
    for (CanaryConfig rule : route.canary()) {
      canaries.add(new CanaryRule<>(upstream(upstreams, route, rule.upstream()), rule.header(), rule.cookie()));
    }
    return new TrafficSplit<>(split, canaries, loops);
  }

  private RequestMirror mirror(Map<String, Upstream> upstreams, RouteConfig route) {
    MirrorConfig mirror = route.mirror();
    if (mirror == null || mirror.percent() == 0) {
      return null;
    }
    long timeout = (mirror.timeout() != null ? mirror.timeout() : route.timeout()).toMillis();
    return new RequestMirror(route.name(), upstream(upstreams, route, mirror.upstream()), mirror.percent(), timeout, loops);
  }

  private Map<String, Upstream> upstreams(ValidatedConfig validated, DiscoveryWiring discovery, CompiledConfig previous) {
    GatewayConfig gateway = validated.gateway();
    Map<String, Upstream> upstreams = new LinkedHashMap<>();
    Map<ClientSettings, ClientSettings> settings = new HashMap<>();
    for (UpstreamConfig config : gateway.upstreams() == null ? List.<UpstreamConfig>of() : gateway.upstreams()) {
      Upstream running = previous == null ? null : previous.upstreams().get(config.name());
      ClientSettings wanted = new ClientSettings((int) config.connectTimeout().toMillis(), config.maxConnections(),
          tls(config, running, validated.baseDir()), config.protocol(), config.http2());
      ClientSettings shared = settings.computeIfAbsent(wanted, s -> s); // one instance per kind
      DiscoveryBinding binding = validated.upstreamDiscovery().get(config.name());
      // an unchanged upstream keeps its health, ejections and checker across a reload
      Upstream upstream = running != null && running.config().equals(config) && running.settings().equals(shared)
          ? running : build(config, shared, binding, validated.baseDir());
      if (binding != null) {
        discovery.feed(upstream, binding,
            new GatewayPluginContext(vertx, "upstream:" + config.name(), meterRegistry, validated.baseDir(),
                List.of(), stats));
      }
      upstreams.put(config.name(), upstream);
    }
    return upstreams;
  }

  /** The upstream's TLS: the running one when its block is unchanged (its sessions stay cached). */
  private static UpstreamTls tls(UpstreamConfig config, Upstream running, Path baseDir) {
    if (config.tls() == null) {
      return null;
    }
    UpstreamTlsContexts.warnIfInsecure(config.name(), config.tls());
    long handshake = UpstreamTlsContexts.handshakeTimeoutMillis(config.connectTimeout().toMillis());
    UpstreamTls kept = running == null ? null : running.settings().tls();
    try {
      UpstreamTls tls = kept != null && kept.builtFrom(config.tls(), baseDir, handshake)
          ? kept : UpstreamTlsContexts.create(config.tls(), baseDir, handshake);
      if (config.protocol().needsTls()) {
        tls.prepareHttp2(); // the context offering h2 by ALPN
      }
      return tls;
    } catch (Exception e) {
      throw new IllegalArgumentException("upstream " + config.name() + ": tls: " + e.getMessage(), e);
    }
  }

  private Upstream build(UpstreamConfig config, ClientSettings settings, DiscoveryBinding binding, Path baseDir) {
    BalancerFactory balancer = Balancers.factory(config.balancer(), config.hashKey(), config.name());
    Upstream[] built = new Upstream[1];
    UpstreamHealth health = new UpstreamHealth(config, balancer, loops, vertx, meterRegistry, set -> built[0].publish(set));
    HealthChecker checker = config.healthCheck() == null ? null : new HealthChecker(vertx, config.healthCheck(), health, config.tls(), baseDir);
    built[0] = new Upstream(config, settings, health, checker, binding == null ? "static" : binding.factory().type());
    if (config.adaptiveConcurrency() != null) {
      built[0].limitConcurrency(new ConcurrencyLimit(config.name(), config.adaptiveConcurrency(), loops, meterRegistry));
    }
    if (binding == null) {
      health.endpoints(StaticEndpoints.of(config.endpoints()));
    } else {
      health.endpoints(List.of()); // until discovery delivers
    }
    return built[0];
  }
}
