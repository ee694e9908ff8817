package io.portico.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code routes[]:} which requests go where, through which plugins.
 *
 * @param match what the route matches
 * @param priority explicit priority; higher wins over any specificity, default 0
 * @param upstream name of the upstream
 * @param stripPrefix remove the matched {@code path-prefix} before forwarding
 * @param rewrite replace the path sent upstream: for a prefix route the matched prefix is
 *     replaced by it; for a regex route it may use {@code $1}..{@code $9} groups
 * @param timeout per-route deadline for the upstream answer head (504 beyond), default 30s
 * @param maxBodySize request body limit in bytes (413 beyond)
 * @param plugins route plugins keyed by name; {@code false} disables a global plugin
 */
public record RouteConfig(
    String name,
    MatchConfig match,
    Integer priority,
    String upstream,
    Boolean stripPrefix,
    String rewrite,
    Duration timeout,
    RetryConfig retries,
    Long maxBodySize,
    Map<String, ConfigNode> plugins) {
  public RouteConfig {
    match = match != null ? match : new MatchConfig(null, null, null, null, null, null, null);
    priority = priority != null ? priority : 0;
    stripPrefix = stripPrefix != null ? stripPrefix : Boolean.FALSE;
    timeout = timeout != null ? timeout : Duration.ofSeconds(30);
  }
}
