package io.portico.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code routes[]:} which requests go where, through which plugins.
 *
 * @param match what the route matches
 * @param priority explicit priority; higher wins over any specificity, default 0
 * @param upstream name of the upstream; give either it or {@code split}
 * @param split instead of {@code upstream}: several upstreams sharing the requests by weight
 *     ({@code [{upstream: shop-v1, weight: 90}, {upstream: shop-v2, weight: 10}]}); each event loop
 *     interleaves them smoothly, so any run of requests follows the weights closely
 * @param canary rules tried in order before {@code upstream} or {@code split}: the first whose
 *     {@code header} and {@code cookie} values the request carries sends it to the rule's upstream
 *     ({@code [{upstream: shop-v2, header: {X-Canary: "on"}}, {upstream: shop-v2, cookie: {beta: "1"}}]})
 * @param mirror a copy of each request (or {@code percent} of them) goes to this upstream as well,
 *     with {@code X-Mirrored: true}; its answer is drained and discarded and never delays or changes
 *     the client's. Only requests without a body, or whose body a plugin buffered, are copied: a
 *     streamed body is not
 * @param stripPrefix remove the matched {@code path-prefix} before forwarding
 * @param rewrite replace the path sent upstream: for a prefix route the matched prefix is
 *     replaced by it; for a regex route it may use {@code $1}..{@code $9} groups
 * @param timeout per-route deadline for the upstream answer head (504 beyond), default 30s
 * @param maxBodySize request body limit in bytes (413 beyond)
 * @param plugins route plugins keyed by name; {@code false} disables a global plugin
 * @param websocket settings of the route's WebSocket tunnels, {@code null} for the defaults
 * @param hedge hedged tries for idempotent requests, {@code null} for none
 * @param grpcWeb translate gRPC-Web requests ({@code application/grpc-web}, {@code -text}) to gRPC
 *     toward the upstream and its answers back to gRPC-Web, default false
 */
public record RouteConfig(
    String name,
    MatchConfig match,
    Integer priority,
    String upstream,
    List<SplitConfig> split,
    List<CanaryConfig> canary,
    MirrorConfig mirror,
    Boolean stripPrefix,
    String rewrite,
    Duration timeout,
    RetryConfig retries,
    Long maxBodySize,
    Map<String, ConfigNode> plugins,
    WebSocketConfig websocket,
    HedgeConfig hedge,
    Boolean grpcWeb) {
  public RouteConfig {
    match = match != null ? match : new MatchConfig(null, null, null, null, null, null, null);
    priority = priority != null ? priority : 0;
    stripPrefix = stripPrefix != null ? stripPrefix : Boolean.FALSE;
    timeout = timeout != null ? timeout : Duration.ofSeconds(30);
    split = split != null ? List.copyOf(split) : List.of();
    canary = canary != null ? List.copyOf(canary) : List.of();
    grpcWeb = grpcWeb != null ? grpcWeb : Boolean.FALSE;
  }

  /** A route without gRPC-Web translation. */
  public RouteConfig(String name, MatchConfig match, Integer priority, String upstream, List<SplitConfig> split,
      List<CanaryConfig> canary, MirrorConfig mirror, Boolean stripPrefix, String rewrite, Duration timeout,
      RetryConfig retries, Long maxBodySize, Map<String, ConfigNode> plugins, WebSocketConfig websocket, HedgeConfig hedge) {
    this(name, match, priority, upstream, split, canary, mirror, stripPrefix, rewrite, timeout, retries, maxBodySize,
        plugins, websocket, hedge, null);
  }

  /** A route to a single upstream, without split, canary or mirror. */
  public RouteConfig(String name, MatchConfig match, Integer priority, String upstream, Boolean stripPrefix,
      String rewrite, Duration timeout, RetryConfig retries, Long maxBodySize, Map<String, ConfigNode> plugins) {
    this(name, match, priority, upstream, null, null, null, stripPrefix, rewrite, timeout, retries, maxBodySize, plugins,
        null, null);
  }

  /** The upstream requests go to when no canary rule matches: {@code upstream}, else the first of {@code split}. */
  public String defaultUpstream() {
    return upstream != null || split.isEmpty() ? upstream : split.get(0).upstream();
  }
}
