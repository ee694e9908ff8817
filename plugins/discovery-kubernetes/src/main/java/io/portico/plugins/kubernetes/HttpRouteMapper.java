package io.portico.plugins.kubernetes;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Turns one Gateway API {@code HTTPRoute} into Portico routes and upstreams (the JSON a config
 * store entry holds). Each match of each rule becomes a route named {@code <httproute>-<rule>-<match>};
 * each Service and port its backendRefs name becomes an upstream named {@code <service>-<port>}
 * following the Service's EndpointSlices; several backendRefs become the route's {@code split}. A
 * rule using something Portico does not map is left out as a whole, with the reason.
 */
final class HttpRouteMapper {

  /**
   * What one HTTPRoute gives.
   *
   * @param routes route name to route JSON (without its name: the entry's key gives it)
   * @param upstreams upstream name to upstream JSON
   * @param skipped one line per rule left out: {@code rule 1: filters are not supported}
   */
  record Mapped(Map<String, JsonObject> routes, Map<String, JsonObject> upstreams, List<String> skipped) {}

  private HttpRouteMapper() {}

  /**
   * @param portName the Service port's name for a Service and port number ({@code null} when the
   *     Service is unknown or its port has no name)
   */
  static Mapped map(HTTPRoute route, BiFunction<String, Integer, String> portName) {
    String name = route.getMetadata().getName();
    String namespace = route.getMetadata().getNamespace();
    Map<String, JsonObject> routes = new LinkedHashMap<>();
    Map<String, JsonObject> upstreams = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    HTTPRouteSpec spec = route.getSpec();
    if (spec == null || spec.getRules() == null || spec.getRules().isEmpty()) {
      return new Mapped(routes, upstreams, skipped);
    }
    List<String> hosts = spec.getHostnames() != null ? spec.getHostnames() : List.of();
    for (int r = 0; r < spec.getRules().size(); r++) {
      HTTPRouteRule rule = spec.getRules().get(r);
      try {
        Map<String, JsonObject> ruleUpstreams = new LinkedHashMap<>();
        JsonObject target = target(rule, namespace, portName, ruleUpstreams);
        List<HTTPRouteMatch> matches = rule.getMatches() == null || rule.getMatches().isEmpty()
            ? List.of(new HTTPRouteMatch()) : rule.getMatches();
        Map<String, JsonObject> ruleRoutes = new LinkedHashMap<>();
        for (int m = 0; m < matches.size(); m++) {
          JsonObject json = new JsonObject().put("match", match(matches.get(m), hosts));
          json.getMap().putAll(target.getMap());
          ruleRoutes.put(name + "-" + r + "-" + m, json);
        }
        routes.putAll(ruleRoutes);
        upstreams.putAll(ruleUpstreams);
      } catch (Unsupported e) {
        skipped.add("rule " + r + (rule.getName() != null ? " (" + rule.getName() + ")" : "") + ": " + e.getMessage());
      }
    }
    return new Mapped(routes, upstreams, skipped);
  }

  /** {@code upstream} or {@code split}, adding the upstreams it uses to {@code upstreams}. */
  private static JsonObject target(HTTPRouteRule rule, String namespace, BiFunction<String, Integer, String> portName,
      Map<String, JsonObject> upstreams) {
    if (rule.getFilters() != null && !rule.getFilters().isEmpty()) {
      throw new Unsupported("filters are not supported (" + rule.getFilters().get(0).getType() + ")");
    }
    if (rule.getRetry() != null) {
      throw new Unsupported("retry is not supported");
    }
    if (rule.getTimeouts() != null) {
      throw new Unsupported("timeouts are not supported");
    }
    if (rule.getSessionPersistence() != null) {
      throw new Unsupported("sessionPersistence is not supported");
    }
    if (rule.getBackendRefs() == null || rule.getBackendRefs().isEmpty()) {
      throw new Unsupported("no backendRefs");
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (HTTPBackendRef ref : rule.getBackendRefs()) {
      boolean core = ref.getGroup() == null || ref.getGroup().isEmpty();
      if (!core || ref.getKind() != null && !"Service".equals(ref.getKind())) {
        throw new Unsupported("backendRef " + ref.getName() + " is not a Service (" + ref.getGroup() + "/" + ref.getKind() + ")");
      }
      if (ref.getNamespace() != null && !ref.getNamespace().equals(namespace)) {
        throw new Unsupported("backendRef " + ref.getName() + " is in another namespace (" + ref.getNamespace() + ")");
      }
      if (ref.getFilters() != null && !ref.getFilters().isEmpty()) {
        throw new Unsupported("backendRef filters are not supported");
      }
      if (ref.getPort() == null) {
        throw new Unsupported("backendRef " + ref.getName() + " has no port");
      }
      int weight = ref.getWeight() != null ? ref.getWeight() : 1;
      if (weight <= 0) {
        continue; // gets no requests
      }
      String upstream = ref.getName() + "-" + ref.getPort();
      String port = portName.apply(ref.getName(), ref.getPort());
      JsonObject discovery = new JsonObject().put("type", "kubernetes").put("service", ref.getName())
          .put("port", port != null ? port : String.valueOf(ref.getPort())).put("namespace", namespace);
      upstreams.put(upstream, new JsonObject().put("discovery", discovery));
      weights.merge(upstream, weight, Integer::sum);
    }
    if (weights.isEmpty()) {
      throw new Unsupported("every backendRef has weight 0");
    }
    if (weights.size() == 1) {
      return new JsonObject().put("upstream", weights.keySet().iterator().next());
    }
    JsonArray split = new JsonArray();
    weights.forEach((upstream, weight) -> split.add(new JsonObject().put("upstream", upstream).put("weight", weight)));
    return new JsonObject().put("split", split);
  }

  private static JsonObject match(HTTPRouteMatch match, List<String> hosts) {
    JsonObject json = new JsonObject();
    if (!hosts.isEmpty()) {
      json.put("hosts", new JsonArray(new ArrayList<>(hosts)));
    }
    HTTPPathMatch path = match.getPath();
    String type = path == null || path.getType() == null ? "PathPrefix" : path.getType();
    String value = path == null || path.getValue() == null ? "/" : path.getValue();
    switch (type) {
      case "Exact" -> json.put("path", value);
      case "PathPrefix" -> json.put("path-prefix", value);
      case "RegularExpression" -> json.put("path-regex", value);
      default -> throw new Unsupported("path match type " + type + " is not supported");
    }
    if (match.getMethod() != null) {
      json.put("methods", new JsonArray().add(match.getMethod()));
    }
    if (match.getHeaders() != null && !match.getHeaders().isEmpty()) {
      JsonObject headers = new JsonObject();
      for (HTTPHeaderMatch header : match.getHeaders()) {
        if (header.getType() != null && !"Exact".equals(header.getType())) {
          throw new Unsupported("header match type " + header.getType() + " is not supported");
        }
        headers.put(header.getName(), header.getValue());
      }
      json.put("headers", headers);
    }
    if (match.getQueryParams() != null && !match.getQueryParams().isEmpty()) {
      JsonObject query = new JsonObject();
      for (HTTPQueryParamMatch param : match.getQueryParams()) {
        if (param.getType() != null && !"Exact".equals(param.getType())) {
          throw new Unsupported("query parameter match type " + param.getType() + " is not supported");
        }
        query.put(param.getName(), param.getValue());
      }
      json.put("query", query);
    }
    return json;
  }

  /** A rule uses something Portico does not map. */
  private static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message, null, false, false);
    }
  }
}
