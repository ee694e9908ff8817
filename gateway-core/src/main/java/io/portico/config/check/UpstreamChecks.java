package io.portico.config.check;

import io.portico.balance.Balancers;
import io.portico.balance.HashKey;
import io.portico.config.ConfigNode;
import io.portico.config.HealthCheckConfig;
import io.portico.config.Http2Config;
import io.portico.config.NodePaths;
import io.portico.config.OutlierConfig;
import io.portico.config.UpstreamConfig;
import io.portico.config.UpstreamProtocol;
import io.portico.grpc.GrpcStatus;
import io.portico.config.bind.ConfigProblems;
import io.portico.config.bind.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks {@code upstreams[]}: names present and unique, endpoints or discovery (not both), known
 * balancer, hash-key syntax (required by consistent-hash, used by nothing else), timeouts and pool size.
 */
public final class UpstreamChecks {

  /** A protobuf full name: dot-separated identifiers. */
  private static final java.util.regex.Pattern GRPC_SERVICE =
      java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
  private static final String HASH_KEYS = "header:NAME, cookie:NAME, query:NAME, client-ip or path";

  private final ConfigProblems problems;

  public UpstreamChecks(ConfigProblems problems) {
    this.problems = problems;
  }

  /** Checks every bound upstream ({@code null} entries failed to bind) and returns the names. */
  public Set<String> check(List<UpstreamConfig> upstreams) {
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
    checkHealth(upstream, path);
    checkHttp2(upstream, path);
    if (upstream.tls() != null) {
      new TlsChecks(problems).upstream(upstream.tls(), NodePaths.key(path, "tls"));
    }
  }

  private void checkHealth(UpstreamConfig upstream, String path) {
    HealthCheckConfig check = upstream.healthCheck();
    if (check != null) {
      String at = NodePaths.key(path, "health-check");
      String type = check.type();
      if (!type.equals(HealthCheckConfig.HTTP) && !type.equals(HealthCheckConfig.TCP) && !type.equals(HealthCheckConfig.GRPC)) {
        problems.add(NodePaths.key(at, "type"), "expected http, tcp or grpc, got \"" + type + "\""
            + Suggestions.hint(type, List.of(HealthCheckConfig.HTTP, HealthCheckConfig.TCP, HealthCheckConfig.GRPC)));
      } else if (!type.equals(HealthCheckConfig.HTTP)) {
        onlyFor(at, "path", HealthCheckConfig.HTTP, type);
        onlyFor(at, "statuses", HealthCheckConfig.HTTP, type);
      }
      if (type.equals(HealthCheckConfig.GRPC)) {
        if (!check.service().isEmpty() && !GRPC_SERVICE.matcher(check.service()).matches()) {
          problems.add(NodePaths.key(at, "service"), "expected a fully qualified gRPC service name such as "
              + "orders.v1.Orders (or nothing for the server's overall health), got \"" + check.service() + "\"");
        }
      } else {
        onlyFor(at, "service", HealthCheckConfig.GRPC, type);
      }
      if (!check.path().startsWith("/")) {
        problems.add(NodePaths.key(at, "path"), "must start with /, got \"" + check.path() + "\"");
      }
      statuses(check.statuses(), NodePaths.key(at, "statuses"));
      GatewayChecks.positive(problems, NodePaths.key(at, "interval"), check.interval());
      GatewayChecks.positive(problems, NodePaths.key(at, "timeout"), check.timeout());
      atLeastOne(check.healthy(), NodePaths.key(at, "healthy"));
      atLeastOne(check.unhealthy(), NodePaths.key(at, "unhealthy"));
    }
    OutlierConfig outlier = upstream.outlier();
    String at = NodePaths.key(path, "outlier");
    atLeastOne(outlier.consecutiveFailures(), NodePaths.key(at, "consecutive-failures"));
    GatewayChecks.positive(problems, NodePaths.key(at, "base-ejection"), outlier.baseEjection());
    GatewayChecks.positive(problems, NodePaths.key(at, "max-ejection"), outlier.maxEjection());
    percent(outlier.maxEjectedPercent(), NodePaths.key(at, "max-ejected-percent"));
    statuses(outlier.statuses(), NodePaths.key(at, "statuses"));
    grpcStatuses(outlier.grpcStatuses(), NodePaths.key(at, "grpc-statuses"));
    percent(upstream.panicThreshold(), NodePaths.key(path, "panic-threshold"));
    if (upstream.slowStart().isNegative()) {
      problems.add(NodePaths.key(path, "slow-start"), "must not be negative");
    } else if (!upstream.slowStart().isZero()
        && ("round-robin".equals(upstream.balancer()) || "consistent-hash".equals(upstream.balancer()))) {
      problems.add(NodePaths.key(path, "slow-start"), "needs a weighted balancer (weighted-round-robin, least-request, "
          + "random or peak-ewma), not " + upstream.balancer());
    }
  }

  private void checkHttp2(UpstreamConfig upstream, String path) {
    if (upstream.protocol().needsTls() && upstream.tls() == null) {
      problems.add(NodePaths.key(path, "protocol"), "protocol " + upstream.protocol().name().toLowerCase(Locale.ROOT)
          + " needs a tls: block (ALPN picks the protocol); use h2c for HTTP/2 without TLS");
    }
    if (upstream.protocol() == UpstreamProtocol.H2C && upstream.tls() != null) {
      problems.add(NodePaths.key(path, "protocol"), "h2c is HTTP/2 without TLS: with a tls: block use h2 or auto");
    }
    Http2Config http2 = upstream.http2();
    String at = NodePaths.key(path, "http2");
    if (http2.maxConcurrentStreams() < 1 || http2.maxConcurrentStreams() > Integer.MAX_VALUE / 2) {
      problems.add(NodePaths.key(at, "max-concurrent-streams"), "must be at least 1, got " + http2.maxConcurrentStreams());
    }
    atLeastOne(http2.maxConnections(), NodePaths.key(at, "max-connections"));
    if (http2.pingInterval().isNegative()) {
      problems.add(NodePaths.key(at, "ping-interval"), "must not be negative");
    }
  }

  /** A key written in a health check of a type that does not use it. */
  private void onlyFor(String at, String key, String usedBy, String type) {
    String path = NodePaths.key(at, key);
    if (problems.node(path) != null) {
      problems.add(path, "only used by type " + usedBy + ", not " + type);
    }
  }

  private void statuses(List<Integer> statuses, String path) {
    for (int i = 0; i < statuses.size(); i++) {
      Integer status = statuses.get(i);
      if (status == null || status < 100 || status > 599) {
        problems.add(NodePaths.index(path, i), "expected an HTTP status 100..599, got " + status);
      }
    }
  }

  private void grpcStatuses(List<String> names, String path) {
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null || GrpcStatus.forConfigName(name) == null) {
        problems.add(NodePaths.index(path, i), "expected a gRPC status name such as unavailable, got \"" + name + "\""
            + (name == null ? "" : Suggestions.hint(name, GrpcStatus.configNames())));
      }
    }
  }

  private void atLeastOne(int value, String path) {
    if (value < 1) {
      problems.add(path, "must be at least 1, got " + value);
    }
  }

  private void percent(int value, String path) {
    if (value < 0 || value > 100) {
      problems.add(path, "must be between 0 and 100, got " + value);
    }
  }
}
