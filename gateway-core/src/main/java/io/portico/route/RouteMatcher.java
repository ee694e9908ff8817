package io.portico.route;

import io.portico.config.MatchConfig;
import io.portico.config.RouteConfig;
import io.vertx.core.http.HttpMethod;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The matcher of one route under one host pattern, with everything a match needs precomputed: its path kind, its
 * predicates as arrays, and its rank against other candidates.
 */
final class RouteMatcher<T> {
  enum PathKind { NONE, REGEX, PREFIX, EXACT }

  private static final String ANY_VALUE = "*";

  final RouteConfig config;
  final T target;
  final PathKind kind;
  final String path;
  final Pattern regex;
  private final Set<HttpMethod> methods;
  private final String[] headerNames;
  private final String[] headerValues;
  private final String[] queryNames;
  private final String[] queryValues;
  private final RouteRank rank;

  RouteMatcher(RouteEntry<T> entry, int hostRank, int order) {
    this.config = entry.config();
    this.target = entry.target();
    MatchConfig match = config.match();
    if (match.path() != null) {
      kind = PathKind.EXACT;
      path = match.path();
    } else if (match.pathPrefix() != null) {
      kind = PathKind.PREFIX;
      path = match.pathPrefix();
    } else if (match.pathRegex() != null) {
      kind = PathKind.REGEX;
      path = match.pathRegex();
    } else {
      kind = PathKind.NONE;
      path = "/";
    }
    this.regex = kind == PathKind.REGEX ? Pattern.compile(path) : null;
    this.methods = match.methods().stream().map(HttpMethod::valueOf).collect(Collectors.toUnmodifiableSet());
    this.headerNames = match.headers().keySet().toArray(String[]::new);
    this.headerValues = values(match.headers(), headerNames);
    this.queryNames = match.query().keySet().toArray(String[]::new);
    this.queryValues = values(match.query(), queryNames);
    int predicates = (methods.isEmpty() ? 0 : 1) + headerNames.length + queryNames.length;
    this.rank = new RouteRank(config.priority(), hostRank, kind.ordinal(), kind == PathKind.PREFIX ? path.length() : 0, predicates, order);
  }

  private static String[] values(Map<String, String> map, String[] names) {
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = map.get(names[i]);
    }
    return values;
  }

  RouteRank rank() {
    return rank;
  }

  /** Methods, headers and query parameters; the path was matched by the caller. */
  boolean predicatesMatch(RouteRequest request) {
    if (!methods.isEmpty() && !methods.contains(request.method())) {
      return false;
    }
    for (int i = 0; i < headerNames.length; i++) {
      if (!valueMatches(headerValues[i], request.header(headerNames[i]))) {
        return false;
      }
    }
    for (int i = 0; i < queryNames.length; i++) {
      if (!valueMatches(queryValues[i], request.queryParam(queryNames[i]))) {
        return false;
      }
    }
    return true;
  }

  private static boolean valueMatches(String expected, String actual) {
    return actual != null && (ANY_VALUE.equals(expected) || expected.equals(actual));
  }

  /** The path to forward, for a request whose path this route matched. */
  String upstreamPath(String requestPath, Matcher regexMatch) {
    String rewrite = config.rewrite();
    return switch (kind) {
      case EXACT -> rewrite != null ? rewrite : requestPath;
      case PREFIX -> {
        if (rewrite == null && !config.stripPrefix()) {
          yield requestPath;
        }
        String rest = requestPath.substring(path.length());
        yield join(rewrite != null ? rewrite : "/", rest);
      }
      case REGEX -> {
        if (rewrite == null) {
          yield requestPath;
        }
        StringBuilder out = new StringBuilder();
        regexMatch.appendReplacement(out, rewrite);
        yield out.append(requestPath, regexMatch.end(), requestPath.length()).toString();
      }
      case NONE -> requestPath;
    };
  }

  private static String join(String base, String rest) {
    if (rest.isEmpty()) {
      return base;
    }
    boolean baseSlash = base.endsWith("/");
    boolean restSlash = rest.charAt(0) == '/';
    if (baseSlash && restSlash) {
      return base + rest.substring(1);
    }
    return baseSlash || restSlash ? base + rest : base + "/" + rest;
  }
}
