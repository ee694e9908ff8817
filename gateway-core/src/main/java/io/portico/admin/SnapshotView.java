package io.portico.admin;

import io.portico.server.Gateway;
import io.portico.chain.PluginView;
import io.portico.runtime.GatewayView;
import io.portico.config.CanaryConfig;
import io.portico.config.MatchConfig;
import io.portico.config.MirrorConfig;
import io.portico.config.RouteConfig;
import io.portico.config.SplitConfig;
import io.portico.plugin.PluginJarLoader;
import io.portico.plugin.PluginRegistry;
import io.portico.endpoint.EndpointState;
import io.portico.spi.Endpoint;
import io.portico.upstream.Upstream;
import io.portico.spi.PluginFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Renders the gateway's current snapshot and plugin registry as the admin API's JSON. */
final class SnapshotView {
  private final Gateway gateway;
  private final PluginRegistry registry;

  SnapshotView(Gateway gateway, PluginRegistry registry) {
    this.gateway = gateway;
    this.registry = registry;
  }

  JsonObject routes() {
    GatewayView snapshot = gateway.snapshot();
    JsonArray routes = new JsonArray();
    for (GatewayView.RouteView route : snapshot.routes()) {
      RouteConfig config = route.config();
      JsonArray chain = new JsonArray();
      for (PluginView plugin : route.plugins()) {
        JsonObject entry = new JsonObject()
            .put("name", plugin.name())
            .put("stage", plugin.stage().name())
            .put("priority", plugin.priority());
        var status = plugin.status();
        if (!status.isEmpty()) {
          entry.put("status", new JsonObject(new java.util.LinkedHashMap<>(status)));
        }
        chain.add(entry);
      }
      JsonObject json = new JsonObject()
          .put("name", config.name())
          .put("match", match(config.match()))
          .put("priority", config.priority())
          .put("upstream", config.defaultUpstream());
      traffic(config, json);
      routes.add(json
          .put("strip_prefix", config.stripPrefix())
          .put("rewrite", config.rewrite())
          .put("timeout_ms", config.timeout().toMillis())
          .put("plugins", chain));
    }
    return new JsonObject().put("version", snapshot.version()).put("routes", routes);
  }

  /** {@code split}, {@code canary} and {@code mirror}, for the routes that have them. */
  private static void traffic(RouteConfig config, JsonObject json) {
    if (!config.split().isEmpty()) {
      JsonArray split = new JsonArray();
      for (SplitConfig entry : config.split()) {
        split.add(new JsonObject().put("upstream", entry.upstream()).put("weight", entry.weight()));
      }
      json.put("split", split);
    }
    if (!config.canary().isEmpty()) {
      JsonArray canary = new JsonArray();
      for (CanaryConfig rule : config.canary()) {
        JsonObject entry = new JsonObject().put("upstream", rule.upstream());
        if (!rule.header().isEmpty()) {
          entry.put("header", new JsonObject(new java.util.TreeMap<>(rule.header())));
        }
        if (!rule.cookie().isEmpty()) {
          entry.put("cookie", new JsonObject(new java.util.TreeMap<>(rule.cookie())));
        }
        canary.add(entry);
      }
      json.put("canary", canary);
    }
    MirrorConfig mirror = config.mirror();
    if (mirror != null) {
      json.put("mirror", new JsonObject()
          .put("upstream", mirror.upstream())
          .put("percent", mirror.percent())
          .put("timeout_ms", (mirror.timeout() != null ? mirror.timeout() : config.timeout()).toMillis()));
    }
  }

  private static JsonObject match(MatchConfig match) {
    JsonObject json = new JsonObject();
    if (!match.hosts().isEmpty()) {
      json.put("hosts", new JsonArray(match.hosts()));
    }
    json.put("path", match.path()).put("path_prefix", match.pathPrefix()).put("path_regex", match.pathRegex());
    if (!match.methods().isEmpty()) {
      json.put("methods", new JsonArray(match.methods()));
    }
    if (!match.headers().isEmpty()) {
      json.put("headers", new JsonObject(new java.util.TreeMap<>(match.headers())));
    }
    if (!match.query().isEmpty()) {
      json.put("query", new JsonObject(new java.util.TreeMap<>(match.query())));
    }
    return json;
  }

  JsonObject upstreams() {
    GatewayView snapshot = gateway.snapshot();
    JsonArray upstreams = new JsonArray();
    long now = System.currentTimeMillis();
    for (GatewayView.UpstreamView view : snapshot.upstreams()) {
      Upstream upstream = gateway.upstream(view.name());
      if (upstream == null) {
        continue; // replaced by a reload since the snapshot was read
      }
      JsonArray endpoints = new JsonArray();
      for (EndpointState state : upstream.health().states()) { // live: discovery and health change them
        endpoints.add(endpoint(state, now));
      }
      upstreams.add(LimitView.concurrency(new JsonObject()
          .put("name", upstream.name())
          .put("balancer", upstream.balancer())
          .put("source", upstream.source())
          .put("discovery_version", upstream.endpointsVersion())
          .put("panic", upstream.health().panic())
          .put("serving", upstream.current() == null ? 0 : upstream.current().servingCount())
          .put("health_check", upstream.config().healthCheck() != null)
          .put("endpoints", endpoints), upstream.concurrency()));
    }
    return new JsonObject().put("version", snapshot.version()).put("upstreams", upstreams);
  }

  private static JsonObject endpoint(EndpointState state, long now) {
    Endpoint endpoint = state.endpoint();
    String health = !endpoint.ready() ? "not_ready"
        : !state.checkedHealthy() ? "unhealthy"
        : state.ejected(now) ? "ejected"
        : "healthy";
    JsonObject json = new JsonObject()
        .put("address", endpoint.address())
        .put("weight", endpoint.weight())
        .put("zone", endpoint.zone())
        .put("ready", endpoint.ready())
        .put("health", health)
        .put("last_check", state.lastCheck())
        .put("active_requests", state.active())
        .put("tries_total", state.tries())
        .put("consecutive_failures", state.consecutiveFailures())
        .put("times_ejected", state.timesEjected());
    if (state.ejected(now)) {
      json.put("ejected_until", java.time.Instant.ofEpochMilli(state.ejectedUntilMillis()).toString());
    }
    return json;
  }

  JsonObject plugins() {
    JsonArray plugins = new JsonArray();
    for (PluginFactory<?> factory : registry.all()) {
      plugins.add(new JsonObject()
          .put("name", factory.name())
          .put("stage", factory.stage().name())
          .put("priority", factory.priority())
          .put("config", factory.configType().getName())
          .put("class", factory.getClass().getName())
          .put("source", PluginJarLoader.originOf(factory))
          .put("api_version", PluginJarLoader.apiVersionOf(factory)));
    }
    return new JsonObject().put("plugins", plugins);
  }
}
