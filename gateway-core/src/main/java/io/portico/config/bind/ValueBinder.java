package io.portico.config.bind;

import io.portico.config.ConfigError;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds one node to one Java type for {@link RecordBinder}: scalars, lists, sets, maps, raw
 * nodes, and records (handed back to {@link RecordBinder#record}). Errors go to the given list;
 * a value that could not be bound is {@link #FAILED}.
 */
public final class ValueBinder {

  /** Marks a value that could not be bound; its errors are already recorded. */
  static final Object FAILED = new Object();

  private ValueBinder() {}

  public static boolean isNull(ConfigNode node) {
    return node instanceof ConfigNode.Scalar scalar && scalar.value() == null;
  }

  static Object value(ConfigNode node, Type type, String path, List<ConfigError> errors) {
    if (type == ConfigNode.class) {
      return node;
    }
    if (type instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
      Type[] args = generic.getActualTypeArguments();
      if (raw == List.class || raw == Collection.class) {
        return collection(node, args[0], path, errors, false);
      }
      if (raw == Set.class) {
        return collection(node, args[0], path, errors, true);
      }
      if (raw == Map.class && args[0] == String.class) {
        return map(node, args[1], path, errors);
      }
    }
    if (!(type instanceof Class<?> c) || c == Object.class || Collection.class.isAssignableFrom(c)
        || Map.class.isAssignableFrom(c)) {
      return fail(errors, node, path, "cannot bind type " + type.getTypeName());
    }
    if (node instanceof ConfigNode.Scalar scalar && scalar.value() != null && ScalarValues.supports(c)) {
      try {
        return ScalarValues.convert(c, scalar.value());
      } catch (IllegalArgumentException e) {
        return fail(errors, node, path, e.getMessage());
      }
    }
    if (c.isRecord() && node instanceof ConfigNode.Mapping mapping) {
      return RecordBinder.record(mapping, c, path, errors, false);
    }
    return fail(errors, node, path, "expected " + describe(c) + ", got " + ConfigNode.describe(node));
  }

  private static Object collection(ConfigNode node, Type item, String path, List<ConfigError> errors, boolean unique) {
    if (!(node instanceof ConfigNode.Sequence sequence)) {
      return fail(errors, node, path, "expected a list, got " + ConfigNode.describe(node));
    }
    List<Object> values = new ArrayList<>();
    Set<Object> seen = new LinkedHashSet<>();
    boolean failed = false;
    for (int i = 0; i < sequence.items().size(); i++) {
      ConfigNode child = sequence.items().get(i);
      String childPath = NodePaths.index(path, i);
      Object value = element(child, item, childPath, errors);
      if (value == FAILED) {
        failed = true;
      } else if (unique && !seen.add(value)) {
        fail(errors, child, childPath, "duplicate value " + ConfigNode.describe(child));
        failed = true;
      } else {
        values.add(value);
      }
    }
    if (failed) {
      return FAILED;
    }
    return unique ? Collections.unmodifiableSet(seen) : Collections.unmodifiableList(values);
  }

  private static Object map(ConfigNode node, Type item, String path, List<ConfigError> errors) {
    if (!(node instanceof ConfigNode.Mapping mapping)) {
      return fail(errors, node, path, "expected a mapping, got " + ConfigNode.describe(node));
    }
    Map<String, Object> values = new LinkedHashMap<>();
    boolean failed = false;
    for (Map.Entry<String, ConfigNode> entry : mapping.entries().entrySet()) {
      Object value = element(entry.getValue(), item, NodePaths.key(path, entry.getKey()), errors);
      failed |= value == FAILED;
      values.put(entry.getKey(), value);
    }
    return failed ? FAILED : Collections.unmodifiableMap(values);
  }

  // an element of a list or map: null is an error unless raw nodes are wanted
  private static Object element(ConfigNode node, Type type, String path, List<ConfigError> errors) {
    if (type != ConfigNode.class && isNull(node)) {
      return fail(errors, node, path, "a value is required");
    }
    return value(node, type, path, errors);
  }

  static Object fail(List<ConfigError> errors, ConfigNode node, String path, String message) {
    errors.add(new ConfigError(node.origin(), path, message));
    return FAILED;
  }

  private static String describe(Class<?> type) {
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == java.time.Duration.class) {
      return "a duration";
    }
    if (type.isRecord()) {
      return ScalarValues.supports(type) ? "a single value or a mapping" : "a mapping";
    }
    return ScalarValues.supports(type) ? "a single value" : type.getSimpleName();
  }
}
