package io.portico.route;

/**
 * How strongly a candidate route claims a request: explicit priority first, then host
 * specificity (exact, longer wildcard, shorter wildcard, any), then path specificity (exact,
 * longer prefix, regex, none), then more predicates, then declaration order.
 */
record RouteRank(int priority, int hostRank, int pathKind, int prefixLength, int predicates, int order) {

  boolean beats(RouteRank other) {
    if (priority != other.priority) {
      return priority > other.priority;
    }
    if (hostRank != other.hostRank) {
      return hostRank > other.hostRank;
    }
    if (pathKind != other.pathKind) {
      return pathKind > other.pathKind;
    }
    if (prefixLength != other.prefixLength) {
      return prefixLength > other.prefixLength;
    }
    if (predicates != other.predicates) {
      return predicates > other.predicates;
    }
    return order < other.order;
  }
}
