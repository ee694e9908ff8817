package io.portico.config.check;

import io.portico.config.CanaryConfig;
import io.portico.config.ConfigNode;
import io.portico.config.MatchConfig;
import io.portico.config.MirrorConfig;
import io.portico.config.NetSyntax;
import io.portico.config.NodePaths;
import io.portico.config.RetryConfig;
import io.portico.config.RouteConfig;
import io.portico.config.SplitConfig;
import io.portico.config.bind.ConfigProblems;
import io.portico.config.bind.RecordBinder;
import io.portico.config.bind.Suggestions;
import io.portico.config.bind.ValueBinder;
import io.portico.grpc.GrpcStatus;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks {@code routes[]}: names present and unique, one of upstream and split, every upstream
 * named (upstream, split, canary, mirror) exists, the match is coherent (one path kind, valid
 * regex, hosts and methods), weights, percentages, retries and timeouts make sense.
 */
public final class RouteChecks {

  private static final Set<String> RETRY_CONDITIONS = Set.of("connect-failure", "reset", "timeout");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");
  private static final List<String> GRPC_CONDITIONS = GrpcStatus.configNames();

  private final ConfigProblems problems;
  private final Set<String> upstreams;

  public RouteChecks(ConfigProblems problems, Set<String> upstreams) {
    this.problems = problems;
    this.upstreams = upstreams;
  }

  public void check(List<RouteConfig> routes) {
    UniqueNames.check(problems, "routes", "route", routes, RouteConfig::name);
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig route = routes.get(i);
      String path = NodePaths.index("routes", i);
      if (route == null) {
        continue;
      }
      checkTargets(route, path);
      checkMatch(route.match(), NodePaths.key(path, "match"));
      if (route.stripPrefix() && route.match().pathPrefix() == null) {
        problems.add(NodePaths.key(path, "strip-prefix"), "needs match.path-prefix");
      }
      if (route.rewrite() != null && !route.rewrite().startsWith("/")) {
        problems.add(NodePaths.key(path, "rewrite"), "must start with /");
      }
      GatewayChecks.positive(problems, NodePaths.key(path, "timeout"), route.timeout());
      if (route.maxBodySize() != null && route.maxBodySize() < 0) {
        problems.add(NodePaths.key(path, "max-body-size"), "must not be negative");
      }
      if (route.retries() != null) {
        checkRetries(route.retries(), NodePaths.key(path, "retries"));
      }
      if (route.websocket() != null) {
        GatewayChecks.positive(problems, NodePaths.key(NodePaths.key(path, "websocket"), "idle-timeout"),
            route.websocket().idleTimeout());
      }
    }
  }

  /** Where the route's requests go: upstream or split, canary rules, mirror. */
  private void checkTargets(RouteConfig route, String path) {
    String splitPath = NodePaths.key(path, "split");
    // judged on the document: a split written but unbound already has its own errors
    ConfigNode splitNode = problems.node(splitPath);
    boolean hasSplit = splitNode != null && !ValueBinder.isNull(splitNode);
    if (route.upstream() != null && hasSplit) {
      problems.add(NodePaths.key(path, "upstream"), "give upstream or split, not both");
    } else if (route.upstream() == null && !hasSplit) {
      if (!RecordBinder.explainedByTypo(problems.list(), splitPath)) {
        problems.add(NodePaths.key(path, "upstream"), "is required (or give split)");
      }
    }
    if (route.upstream() != null) {
      reference(NodePaths.key(path, "upstream"), route.upstream());
    }
    if (hasSplit && route.split().isEmpty() && splitNode instanceof ConfigNode.Sequence) {
      problems.add(splitPath, "needs at least one upstream");
    }
    Set<String> inSplit = new HashSet<>();
    for (int i = 0; i < route.split().size(); i++) {
      SplitConfig entry = route.split().get(i);
      String entryPath = NodePaths.index(splitPath, i);
      if (reference(NodePaths.key(entryPath, "upstream"), entry.upstream()) && !inSplit.add(entry.upstream())) {
        problems.add(NodePaths.key(entryPath, "upstream"), "upstream \"" + entry.upstream() + "\" is already in the split");
      }
      if (entry.weight() < 1) {
        problems.add(NodePaths.key(entryPath, "weight"), "must be at least 1, got " + entry.weight());
      }
    }
    for (int i = 0; i < route.canary().size(); i++) {
      CanaryConfig rule = route.canary().get(i);
      String rulePath = NodePaths.index(NodePaths.key(path, "canary"), i);
      if (rule.header().isEmpty() && rule.cookie().isEmpty() && !problems.failedUnder(rulePath)) {
        problems.add(rulePath, "needs header or cookie (a rule that matches every request is a plain upstream)");
      }
      reference(NodePaths.key(rulePath, "upstream"), rule.upstream());
      rule.header().forEach((name, value) -> {
        if (!NetSyntax.isToken(name)) {
          problems.add(NodePaths.key(NodePaths.key(rulePath, "header"), name), "not a header name: \"" + name + "\"");
        }
      });
      rule.cookie().forEach((name, value) -> {
        if (!NetSyntax.isToken(name)) {
          problems.add(NodePaths.key(NodePaths.key(rulePath, "cookie"), name), "not a cookie name: \"" + name + "\"");
        }
      });
    }
    MirrorConfig mirror = route.mirror();
    if (mirror != null) {
      String mirrorPath = NodePaths.key(path, "mirror");
      reference(NodePaths.key(mirrorPath, "upstream"), mirror.upstream());
      if (mirror.percent() < 0 || mirror.percent() > 100) {
        problems.add(NodePaths.key(mirrorPath, "percent"), "must be between 0 and 100, got " + mirror.percent());
      }
      GatewayChecks.positive(problems, NodePaths.key(mirrorPath, "timeout"), mirror.timeout());
    }
  }

  /**
   * Reports a missing or unknown upstream name at {@code path}, with the closest known name as a
   * hint; returns whether the name is known.
   */
  private boolean reference(String path, String name) {
    if (name == null) {
      problems.add(path, "is required");
      return false;
    }
    if (!upstreams.contains(name)) {
      String closest = Suggestions.closest(name, upstreams);
      problems.add(path, "no upstream named \"" + name + "\"" + (closest != null ? " (did you mean \"" + closest + "\"?)" : ""));
      return false;
    }
    return true;
  }

  private void checkMatch(MatchConfig match, String path) {
    int kinds = (match.path() != null ? 1 : 0) + (match.pathPrefix() != null ? 1 : 0) + (match.pathRegex() != null ? 1 : 0);
    if (kinds > 1) {
      problems.add(path, "give at most one of path, path-prefix and path-regex");
    }
    if (match.path() != null && !match.path().startsWith("/")) {
      problems.add(NodePaths.key(path, "path"), "must start with /");
    }
    if (match.pathPrefix() != null && !match.pathPrefix().startsWith("/")) {
      problems.add(NodePaths.key(path, "path-prefix"), "must start with /");
    }
    if (match.pathRegex() != null) {
      try {
        Pattern.compile(match.pathRegex());
      } catch (PatternSyntaxException e) {
        problems.add(NodePaths.key(path, "path-regex"), "invalid regular expression: " + e.getDescription());
      }
    }
    for (int i = 0; i < match.hosts().size(); i++) {
      String host = match.hosts().get(i);
      if (!NetSyntax.isHostPattern(host)) {
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        problems.add(NodePaths.index(NodePaths.key(path, "hosts"), i), "not a host name or *.suffix: \"" + host + "\""
            + (NetSyntax.isHostPattern(lower) ? " (write it in lower case: \"" + lower + "\")" : ""));
      }
    }
    for (int i = 0; i < match.methods().size(); i++) {
      String method = match.methods().get(i);
      if (!NetSyntax.isHttpMethod(method)) {
        problems.add(NodePaths.index(NodePaths.key(path, "methods"), i), "not an HTTP method: \"" + method + "\""
            + Suggestions.hint(method.toUpperCase(java.util.Locale.ROOT), NetSyntax.httpMethods()));
      }
    }
  }

  private void checkRetries(RetryConfig retries, String path) {
    if (retries.attempts() < 1) {
      problems.add(NodePaths.key(path, "attempts"), "must be at least 1, got " + retries.attempts());
    }
    if (retries.budgetPercent() < 0 || retries.budgetPercent() > 100) {
      problems.add(NodePaths.key(path, "budget-percent"), "must be between 0 and 100, got " + retries.budgetPercent());
    }
    GatewayChecks.positive(problems, NodePaths.key(path, "per-try-timeout"), retries.perTryTimeout());
    for (int i = 0; i < retries.on().size(); i++) {
      String condition = retries.on().get(i);
      if (!RETRY_CONDITIONS.contains(condition) && !STATUS.matcher(condition).matches()
          && GrpcStatus.forConfigName(condition) == null) {
        String closest = Suggestions.closest(condition, GRPC_CONDITIONS);
        problems.add(NodePaths.index(NodePaths.key(path, "on"), i), "expected connect-failure, reset, timeout or a status such as 503, got \""
            + condition + "\"" + (closest != null ? " (did you mean \"" + closest + "\"?)"
                : " (gRPC status names such as unavailable or resource-exhausted are conditions too)"));
      }
    }
  }
}
