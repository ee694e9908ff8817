package io.portico.config;

import io.portico.balance.Balancers;
import io.portico.balance.HashKey;
import java.util.List;
import java.util.Set;

/**
 * Checks {@code upstreams[]}: names present and unique, endpoints or discovery (not both), known
 * balancer, hash-key syntax (required by consistent-hash, used by nothing else), timeouts and pool size.
 */
final class UpstreamChecks {

  private static final String HASH_KEYS = "header:NAME, cookie:NAME, query:NAME, client-ip or path";

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
    if (!Balancers.isKnown(upstream.balancer())) {
      problems.add(NodePaths.key(path, "balancer"), "unknown balancer \"" + upstream.balancer() + "\""
          + Suggestions.hint(upstream.balancer(), Balancers.names()));
    }
    if (upstream.hashKey() != null) {
      if (HashKey.parse(upstream.hashKey()) == null) {
        problems.add(NodePaths.key(path, "hash-key"), "expected " + HASH_KEYS + ", got \"" + upstream.hashKey() + "\"");
      } else if (!Balancers.CONSISTENT_HASH.equals(upstream.balancer())) {
        problems.add(NodePaths.key(path, "hash-key"), "only used by balancer " + Balancers.CONSISTENT_HASH);
      }
    } else if (Balancers.CONSISTENT_HASH.equals(upstream.balancer())) {
      problems.add(NodePaths.key(path, "balancer"), Balancers.CONSISTENT_HASH + " needs a hash-key: " + HASH_KEYS);
    }
    GatewayChecks.positive(problems, NodePaths.key(path, "connect-timeout"), upstream.connectTimeout());
    if (upstream.maxConnections() < 1) {
      problems.add(NodePaths.key(path, "max-connections"), "must be at least 1, got " + upstream.maxConnections());
    }
  }
}
