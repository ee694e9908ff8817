package io.portico.route;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The routes of one host pattern, indexed by path: exact paths in a hash map, prefixes in a
 * {@link PrefixTable} probed at each segment boundary of the request path, and the few regex and
 * path-less routes in a list. Lookup cost grows with the path's length, not with the number of
 * routes.
 */
final class PathIndex<T> {
  private final Map<String, RouteMatcher<T>[]> exact;
  private final PrefixTable<T> prefixes;
  private final RouteMatcher<T>[] scanned;

  @SuppressWarnings("unchecked")
  PathIndex(List<RouteMatcher<T>> routes) {
    Map<String, List<RouteMatcher<T>>> exactLists = new HashMap<>();
    Map<String, List<RouteMatcher<T>>> prefixLists = new LinkedHashMap<>();
    List<RouteMatcher<T>> rest = new ArrayList<>();
    for (RouteMatcher<T> route : routes) {
      switch (route.kind) {
        case EXACT -> exactLists.computeIfAbsent(route.path, p -> new ArrayList<>()).add(route);
        case PREFIX -> prefixLists.computeIfAbsent(route.path, p -> new ArrayList<>()).add(route);
        default -> rest.add(route);
      }
    }
    exact = new HashMap<>();
    exactLists.forEach((path, list) -> exact.put(path, list.toArray(new RouteMatcher[0])));
    prefixes = new PrefixTable<>(prefixLists);
    scanned = rest.toArray(new RouteMatcher[0]);
  }

  /** The best of this index's routes for the request, or {@code best} when none beats it. */
  Candidate<T> best(RouteRequest request, Candidate<T> best) {
    String path = request.path();
    best = consider(exact.get(path), request, null, best);
    // every prefix of the path that ends just before or just after a '/', and the whole path
    int hash = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/' && i > 0) {
        best = consider(prefixes.find(path, i, hash), request, null, best);
      }
      hash = 31 * hash + c;
      if (c == '/') {
        best = consider(prefixes.find(path, i + 1, hash), request, null, best);
      }
    }
    if (path.charAt(path.length() - 1) != '/') {
      best = consider(prefixes.find(path, path.length(), hash), request, null, best);
    }
    for (RouteMatcher<T> route : scanned) {
      if (best != null && !route.rank().beats(best.route().rank())) {
        continue;
      }
      if (route.regex != null) {
        Matcher m = route.regex.matcher(path);
        if (m.lookingAt() && route.predicatesMatch(request)) {
          best = new Candidate<>(route, m);
        }
      } else if (route.predicatesMatch(request)) {
        best = new Candidate<>(route, null);
      }
    }
    return best;
  }

  private static <T> Candidate<T> consider(RouteMatcher<T>[] routes, RouteRequest request, Matcher m, Candidate<T> best) {
    if (routes == null) {
      return best;
    }
    for (RouteMatcher<T> route : routes) {
      if ((best == null || route.rank().beats(best.route().rank())) && route.predicatesMatch(request)) {
        best = new Candidate<>(route, m);
      }
    }
    return best;
  }

  /** A route that matched, with the regex match when it was a regex route. */
  record Candidate<T>(RouteMatcher<T> route, Matcher match) {}
}
