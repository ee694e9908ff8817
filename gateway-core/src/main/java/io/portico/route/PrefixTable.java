package io.portico.route;

import java.util.List;
import java.util.Map;

/**
 * An open-addressing hash table from path prefixes to routes, probed with a region of the request
 * path: the lookup hashes the path incrementally and compares in place, so finding every prefix
 * of a path allocates nothing. Hashes are {@link String#hashCode()}-compatible.
 */
final class PrefixTable<T> {
  private final String[] keys;
  private final Object[] values;
  private final int mask;

  PrefixTable(Map<String, List<RouteMatcher<T>>> byPrefix) {
    int capacity = Integer.highestOneBit(Math.max(4, byPrefix.size() * 2) - 1) << 1;
    keys = new String[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    byPrefix.forEach((prefix, routes) -> {
      int slot = spread(prefix.hashCode()) & mask;
      while (keys[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keys[slot] = prefix;
      values[slot] = routes.toArray(new RouteMatcher<?>[0]);
    });
  }

  /** The routes whose prefix is {@code path[0, length)}, given that region's hash, or null. */
  @SuppressWarnings("unchecked")
  RouteMatcher<T>[] find(String path, int length, int hash) {
    int slot = spread(hash) & mask;
    String key;
    while ((key = keys[slot]) != null) {
      if (key.length() == length && key.hashCode() == hash && path.regionMatches(0, key, 0, length)) {
        return (RouteMatcher<T>[]) values[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
