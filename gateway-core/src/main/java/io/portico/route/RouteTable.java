package io.portico.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The compiled route table: host buckets (exact names, wildcard suffixes, any host), each holding
 * a {@link PathIndex}. A lookup consults the exact bucket of the request's host, the wildcard
 * buckets of each of its suffixes, and the any-host bucket, and keeps the strongest candidate
 * ({@link RouteRank}). Immutable and safe to share between event loops.
 *
 * @param <T> what routes map to
 */
public final class RouteTable<T> {
  private static final int HOST_ANY = 0;
  private static final int HOST_EXACT = Integer.MAX_VALUE;

  private final Map<String, PathIndex<T>> exactHosts;
  private final Map<String, PathIndex<T>> wildcardHosts;
  private final PathIndex<T> anyHost;
  private final int size;

  private RouteTable(Map<String, PathIndex<T>> exactHosts, Map<String, PathIndex<T>> wildcardHosts, PathIndex<T> anyHost, int size) {
    this.exactHosts = exactHosts;
    this.wildcardHosts = wildcardHosts;
    this.anyHost = anyHost;
    this.size = size;
  }

  /**
   * Compiles the routes, in declaration order (the last tie-break).
   *
   * @throws IllegalArgumentException when a path regex does not compile or a method is unknown
   */
  public static <T> RouteTable<T> compile(List<RouteEntry<T>> entries) {
    Map<String, List<RouteMatcher<T>>> exact = new HashMap<>();
    Map<String, List<RouteMatcher<T>>> wildcard = new HashMap<>();
    List<RouteMatcher<T>> any = new ArrayList<>();
    for (int order = 0; order < entries.size(); order++) {
      RouteEntry<T> entry = entries.get(order);
      List<String> hosts = entry.config().match().hosts();
      if (hosts.isEmpty()) {
        any.add(new RouteMatcher<>(entry, HOST_ANY, order));
      }
      for (String host : hosts) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("*.")) {
          String suffix = h.substring(1); // ".example.com"
          wildcard.computeIfAbsent(suffix, s -> new ArrayList<>()).add(new RouteMatcher<>(entry, suffix.length(), order));
        } else {
          exact.computeIfAbsent(h, s -> new ArrayList<>()).add(new RouteMatcher<>(entry, HOST_EXACT, order));
        }
      }
    }
    return new RouteTable<>(index(exact), index(wildcard), new PathIndex<>(any), entries.size());
  }

  private static <T> Map<String, PathIndex<T>> index(Map<String, List<RouteMatcher<T>>> byHost) {
    Map<String, PathIndex<T>> indexed = new HashMap<>();
    byHost.forEach((host, routes) -> indexed.put(host, new PathIndex<>(routes)));
    return indexed;
  }

  /** The route for the request and the path to forward, or {@code null} when none matches. */
  public RouteMatch<T> match(RouteRequest request) {
    PathIndex.Candidate<T> best = null;
    String host = request.host();
    if (!exactHosts.isEmpty()) {
      PathIndex<T> index = exactHosts.get(host);
      if (index != null) {
        best = index.best(request, best);
      }
    }
    if (!wildcardHosts.isEmpty()) {
      for (int dot = host.indexOf('.'); dot > 0; dot = host.indexOf('.', dot + 1)) {
        PathIndex<T> index = wildcardHosts.get(host.substring(dot));
        if (index != null) {
          best = index.best(request, best);
        }
      }
    }
    best = anyHost.best(request, best);
    if (best == null) {
      return null;
    }
    RouteMatcher<T> route = best.route();
    return new RouteMatch<>(route.target, route.upstreamPath(request.path(), best.match()));
  }

  /** Number of routes compiled into the table. */
  public int size() {
    return size;
  }
}
