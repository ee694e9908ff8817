package io.portico.config.check;

import io.portico.config.NodePaths;
import io.portico.config.bind.ConfigProblems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that the items of a top-level list ({@code routes}, {@code upstreams}) have unique
 * names. An item that failed to bind still counts by the name written in the document, so one
 * typo in an upstream does not also make every route to it an error.
 */
final class UniqueNames {

  private UniqueNames() {}

  /** Reports missing and duplicate names and returns the names in document order. */
  static <T> Set<String> check(ConfigProblems problems, String list, String kind, List<T> items, Function<T, String> name) {
    Map<String, String> firstPath = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String path = NodePaths.key(NodePaths.index(list, i), "name");
      T item = items.get(i);
      String value = item != null ? name.apply(item) : problems.scalar(path);
      if (value == null || value.isBlank()) {
        if (item != null) {
          problems.add(path, "is required");
        }
      } else if (firstPath.containsKey(value)) {
        problems.add(path, "duplicate " + kind + " name \"" + value + "\" (first at " + problems.origin(firstPath.get(value)) + ")");
      } else {
        firstPath.put(value, path);
      }
    }
    return firstPath.keySet();
  }
}
