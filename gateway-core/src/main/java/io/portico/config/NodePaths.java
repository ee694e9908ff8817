package io.portico.config;

/**
 * Field paths such as {@code routes[2].match.path-prefix}: how they are built, and how one is
 * traced back through a {@link ConfigNode} tree to the line it names.
 */
public final class NodePaths {

  private NodePaths() {}

  /** {@code parent.key}, or {@code key} at the root. */
  public static String key(String parent, String key) {
    return parent == null || parent.isEmpty() ? key : parent + "." + key;
  }

  /** {@code parent[index]}. */
  public static String index(String parent, int index) {
    return (parent == null ? "" : parent) + "[" + index + "]";
  }

  /** Appends a relative path ({@code limits[0].per}, {@code [1]} or empty) to a parent path. */
  public static String append(String parent, String relative) {
    if (relative == null || relative.isEmpty()) {
      return parent == null ? "" : parent;
    }
    if (relative.startsWith("[")) {
      return (parent == null ? "" : parent) + relative;
    }
    return key(parent, relative);
  }

  /**
   * The origin of the node that {@code path} (relative to {@code base}) names: the line of the
   * mapping key for a field, the item's line for a list index. When the path runs past what the
   * document contains (a field that was left out), the deepest node found is named instead.
   */
  public static ConfigNode.Origin locate(ConfigNode base, String path) {
    return walk(base, path).origin();
  }

  /** The node {@code path} names, or {@code null} when the document has none there. */
  public static ConfigNode find(ConfigNode base, String path) {
    Step step = walk(base, path);
    return step.complete() ? step.node() : null;
  }

  private record Step(ConfigNode node, ConfigNode.Origin origin, boolean complete) {}

  private static Step walk(ConfigNode base, String path) {
    ConfigNode node = base;
    ConfigNode.Origin found = base.origin();
    String rest = path == null ? "" : path;
    while (!rest.isEmpty()) {
      if (rest.startsWith(".")) {
        rest = rest.substring(1);
      }
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        int index = close < 0 ? -1 : parseIndex(rest.substring(1, close));
        if (!(node instanceof ConfigNode.Sequence sequence) || index < 0 || index >= sequence.items().size()) {
          return new Step(node, found, false);
        }
        node = sequence.items().get(index);
        found = node.origin();
        rest = rest.substring(close + 1);
      } else {
        String key = node instanceof ConfigNode.Mapping mapping ? longestKey(mapping, rest) : null;
        if (key == null) {
          return new Step(node, found, false);
        }
        ConfigNode.Mapping mapping = (ConfigNode.Mapping) node;
        node = mapping.entries().get(key);
        ConfigNode.Origin keyOrigin = mapping.keyOrigins().get(key);
        found = keyOrigin != null ? keyOrigin : node.origin();
        rest = rest.substring(key.length());
      }
    }
    return new Step(node, found, true);
  }

  private static int parseIndex(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  // keys may contain dots (header names, hosts): take the longest key the path continues with
  private static String longestKey(ConfigNode.Mapping mapping, String rest) {
    String best = null;
    for (String key : mapping.entries().keySet()) {
      if (rest.startsWith(key)
          && (rest.length() == key.length() || rest.charAt(key.length()) == '.' || rest.charAt(key.length()) == '[')
          && (best == null || key.length() > best.length())) {
        best = key;
      }
    }
    return best;
  }
}
