package io.portico.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks {@code routes[]}: names present and unique, the upstream exists, the match is coherent
 * (one path kind, valid regex, hosts and methods), retries and timeouts make sense.
 */
final class RouteChecks {

  private static final Set<String> RETRY_CONDITIONS = Set.of("connect-failure", "reset", "timeout");
  private static final Pattern STATUS = Pattern.compile("[1-5]\\d\\d");

  private final ConfigProblems problems;
  private final Set<String> upstreams;

  RouteChecks(ConfigProblems problems, Set<String> upstreams) {
    this.problems = problems;
    this.upstreams = upstreams;
  }

  void check(List<RouteConfig> routes) {
    UniqueNames.check(problems, "routes", "route", routes, RouteConfig::name);
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig route = routes.get(i);
      String path = NodePaths.index("routes", i);
      if (route == null) {
        continue;
      }
      if (route.upstream() == null) {
        problems.add(NodePaths.key(path, "upstream"), "is required");
      } else if (!upstreams.contains(route.upstream())) {
        problems.add(NodePaths.key(path, "upstream"), "no upstream named \"" + route.upstream() + "\"");
      }
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
    }
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
      if (!RETRY_CONDITIONS.contains(condition) && !STATUS.matcher(condition).matches()) {
        problems.add(NodePaths.index(NodePaths.key(path, "on"), i), "expected connect-failure, reset, timeout or a status such as 503, got \""
            + condition + "\"");
      }
    }
  }
}
