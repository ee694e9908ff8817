package io.portico.runtime;

import io.portico.chain.PluginView;
import io.portico.config.RouteConfig;
import io.portico.spi.Endpoint;
import io.portico.spi.Plugin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The admin API's view of what the gateway runs right now: the config version and where it came
 * from, each route with its compiled plugin chain, and each upstream with its endpoints. Immutable
 * except for {@link PluginView#status()}, which asks the live plugin.
 *
 * @param version identifies the config content (a hash or an etcd revision)
 * @param source where the config came from, e.g. {@code file:routes/gateway.yaml}
 * @param appliedAt when this snapshot went live
 * @param routes the routes in config order
 * @param upstreams the upstreams in config order
 */
public record GatewayView(
    String version, String source, Instant appliedAt, List<RouteView> routes, List<UpstreamView> upstreams) {

  public GatewayView {
    routes = List.copyOf(routes);
    upstreams = List.copyOf(upstreams);
  }

  /** Every distinct plugin of this snapshot, in route order. */
  public List<Plugin> plugins() {
    List<Plugin> all = new ArrayList<>();
    Set<Plugin> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (RouteView route : routes) {
      for (PluginView view : route.plugins()) {
        if (seen.add(view.plugin())) {
          all.add(view.plugin());
        }
      }
    }
    return all;
  }

  /**
   * One compiled route.
   *
   * @param config the route as configured
   * @param plugins its effective chain in {@code onRequest} order
   */
  public record RouteView(RouteConfig config, List<PluginView> plugins) {
    public RouteView {
      plugins = List.copyOf(plugins);
    }

    public String name() {
      return config.name();
    }
  }

  /**
   * One upstream.
   *
   * @param balancer the balancer name ({@code round-robin}, {@code weighted-round-robin})
   * @param endpoints its current endpoints
   */
  public record UpstreamView(String name, String balancer, List<Endpoint> endpoints) {
    public UpstreamView {
      endpoints = List.copyOf(endpoints);
    }
  }
}
