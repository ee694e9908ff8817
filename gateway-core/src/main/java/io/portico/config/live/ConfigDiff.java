package io.portico.config.live;

import io.portico.config.ConfigNode;
import io.portico.config.GatewayConfig;
import io.portico.config.RouteConfig;
import io.portico.config.UpstreamConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What changed between two applied configs: routes, upstreams and global plugins added, removed
 * or modified, by name. Compared by content, not by where it was written: a route that only moved
 * to another line of its file is unchanged.
 *
 * @param added per kind ({@code routes}, {@code upstreams}, {@code plugins}), the names added
 */
public record ConfigDiff(Map<String, List<String>> added, Map<String, List<String>> removed, Map<String, List<String>> modified) {

  /** The changes from {@code before} ({@code null}: nothing ran before) to {@code after}. */
  public static ConfigDiff between(GatewayConfig before, GatewayConfig after) {
    Map<String, List<String>> added = new LinkedHashMap<>();
    Map<String, List<String>> removed = new LinkedHashMap<>();
    Map<String, List<String>> modified = new LinkedHashMap<>();
    compare("routes", byName(before == null ? List.of() : before.routes(), RouteConfig::name),
        byName(after.routes(), RouteConfig::name), added, removed, modified);
    compare("upstreams", byName(before == null ? List.of() : before.upstreams(), UpstreamConfig::name),
        byName(after.upstreams(), UpstreamConfig::name), added, removed, modified);
    compare("plugins", new LinkedHashMap<>(before == null ? Map.of() : before.plugins()), new LinkedHashMap<>(after.plugins()),
        added, removed, modified);
    return new ConfigDiff(added, removed, modified);
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && modified.isEmpty();
  }

  private static <T> Map<String, Object> byName(Collection<T> items, Function<T, String> name) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (T item : items) {
      map.put(name.apply(item), item);
    }
    return map;
  }

  private static void compare(String kind, Map<String, ?> before, Map<String, ?> after, Map<String, List<String>> added,
      Map<String, List<String>> removed, Map<String, List<String>> modified) {
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      if (!before.containsKey(name)) {
        added.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
      } else if (!after.containsKey(name)) {
        removed.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
      } else if (!Objects.equals(content(before.get(name)), content(after.get(name)))) {
        modified.computeIfAbsent(kind, k -> new ArrayList<>()).add(name);
      }
    }
  }

  /** The value without source positions: records, maps and lists of plain values. */
  static Object content(Object value) {
    if (value instanceof ConfigNode.Scalar scalar) {
      return scalar.value();
    }
    if (value instanceof ConfigNode.Sequence sequence) {
      return content(sequence.items());
    }
    if (value instanceof ConfigNode.Mapping mapping) {
      return content(mapping.entries());
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> plain = new LinkedHashMap<>();
      map.forEach((k, v) -> plain.put(k, content(v)));
      return plain;
    }
    if (value instanceof Collection<?> list) {
      return list.stream().map(ConfigDiff::content).toList();
    }
    if (value instanceof Record record && !(value instanceof ConfigNode.Origin)) {
      Map<String, Object> plain = new LinkedHashMap<>();
      for (RecordComponent component : record.getClass().getRecordComponents()) {
        try {
          plain.put(component.getName(), content(component.getAccessor().invoke(record)));
        } catch (ReflectiveOperationException e) {
          plain.put(component.getName(), String.valueOf(e));
        }
      }
      return plain;
    }
    return value;
  }
}
