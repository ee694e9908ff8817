package io.portico.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks {@code upstreams[]}: names present and unique, endpoints or discovery (not both), known
 * balancer, hash-key syntax, timeouts and pool size.
 */
final class UpstreamChecks {

  static final List<String> BALANCERS = List.of(
      "round-robin", "weighted-round-robin", "least-request", "consistent-hash", "random", "peak-ewma");
  private static final Pattern HASH_KEY = Pattern.compile("(header|cookie|query):[!#$%&'*+.^_`|~0-9A-Za-z-]+|client-ip|path");

  private final ConfigProblems problems;

  UpstreamChecks(ConfigProblems problems) {
    this.problems = problems;
  }

  /** Checks every bound upstream ({@code null} entries failed to bind) and returns the names. */
  Set<String> check(List<UpstreamConfig> upstreams) {
    Set<String> names = UniqueNames.check(problems, "upstreams", "upstream", upstreams, UpstreamConfig::name);
    for (int i = 0; i < upstreams.size(); i++) {
      if (upstreams.get(i) != null) {
        checkOne(upstreams.get(i), NodePaths.index("upstreams", i));
      }
    }
    return names;
  }

  private void checkOne(UpstreamConfig upstream, String path) {
    // judged on the document: endpoints written but invalid already have their own errors
    boolean hasEndpoints = problems.node(NodePaths.key(path, "endpoints")) instanceof ConfigNode.Sequence s && !s.items().isEmpty();
    if (hasEndpoints && upstream.discovery() != null) {
      problems.add(NodePaths.key(path, "discovery"), "give endpoints or discovery, not both");
    } else if (!hasEndpoints && upstream.discovery() == null) {
      problems.add(path, "needs endpoints or discovery");
    }
    if (!BALANCERS.contains(upstream.balancer())) {
      problems.add(NodePaths.key(path, "balancer"), "unknown balancer \"" + upstream.balancer() + "\""
          + Suggestions.hint(upstream.balancer(), BALANCERS));
    }
    if (upstream.hashKey() != null) {
      if (!HASH_KEY.matcher(upstream.hashKey()).matches()) {
        problems.add(NodePaths.key(path, "hash-key"), "expected header:NAME, cookie:NAME, query:NAME, client-ip or path, got \""
            + upstream.hashKey() + "\"");
      } else if (!"consistent-hash".equals(upstream.balancer())) {
        problems.add(NodePaths.key(path, "hash-key"), "only used by balancer consistent-hash");
      }
    }
    GatewayChecks.positive(problems, NodePaths.key(path, "connect-timeout"), upstream.connectTimeout());
    if (upstream.maxConnections() < 1) {
      problems.add(NodePaths.key(path, "max-connections"), "must be at least 1, got " + upstream.maxConnections());
    }
  }
}
