package io.portico.config.bind;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds a {@link ConfigNode} strictly into a record: component {@code fooBar} reads key
 * {@code foo-bar}; unknown keys, wrong types and constructor rejections are errors carrying the
 * node's origin and a path such as {@code routes[2].match.path-prefix}. Every error is collected;
 * binding goes on past the first.
 *
 * <p>Supported types: String, boolean, int, long, double (boxed or not), {@link
 * java.time.Duration} ({@code 250ms}, {@code 10s}, {@code 1m}, {@code 2h}, {@code 1d}), enums
 * (kebab-case), {@code List<T>}, {@code Set<T>}, {@code Map<String, T>} (immutable, in document
 * order), nested records, {@link ConfigNode} (passed through raw) and any type with a public
 * static {@code parse(String)} when the node is a scalar. A missing key binds to null (an empty
 * collection for collections); a missing primitive is an error.
 *
 * <p>Stateless and thread-safe; uses reflection, so call it at config load, never per request.
 */
public final class RecordBinder {

  private RecordBinder() {}

  /**
   * Binds {@code node} to {@code type}, adding every problem to {@code errors}. A missing or
   * null node binds a record type as an empty mapping (all defaults).
   *
   * @param path the node's path, used as the prefix of error paths ({@code ""} at the root)
   * @return the bound value, or {@code null} when errors prevented binding it
   */
  public static <T> T bind(ConfigNode node, Class<T> type, String path, List<ConfigError> errors) {
    ConfigNode actual = node;
    if (type.isRecord() && (node == null || ValueBinder.isNull(node))) {
      ConfigNode.Origin origin = node != null ? node.origin() : new ConfigNode.Origin("?", 0);
      actual = new ConfigNode.Mapping(Map.of(), Map.of(), origin);
    }
    if (actual == null) {
      return null;
    }
    Object value = ValueBinder.value(actual, type, path, errors);
    return value == ValueBinder.FAILED ? null : type.cast(value);
  }

  /**
   * Like {@link #bind} for a record, but a field that failed to bind is left out (its default
   * applies) rather than failing the whole record, so that the record's other fields can still be
   * checked. The result must only be used for checking when {@code errors} grew.
   */
  public static <T> T bindBestEffort(ConfigNode node, Class<T> type, String path, List<ConfigError> errors) {
    if (node instanceof ConfigNode.Mapping mapping && type.isRecord()) {
      Object value = record(mapping, type, path, errors, true);
      return value == ValueBinder.FAILED ? null : type.cast(value);
    }
    return bind(node, type, path, errors);
  }

  /** Binds, or throws a {@link ConfigException} with every error found. */
  public static <T> T bindOrThrow(ConfigNode node, Class<T> type, String path) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    T value = bind(node, type, path, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return value;
  }

  /** The YAML key of a record component: {@code maxBodySize} reads {@code max-body-size}. */
  public static String keyOf(String componentName) {
    StringBuilder key = new StringBuilder(componentName.length() + 4);
    for (char c : componentName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        key.append('-').append(Character.toLowerCase(c));
      } else {
        key.append(c);
      }
    }
    return key.toString();
  }

  /** A record type's keys, component types and canonical constructor, found once per type. */
  private record Shape(List<String> keys, Class<?>[] types, Type[] genericTypes, Constructor<?> constructor) {}

  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      List<String> keys = new ArrayList<>();
      Class<?>[] types = new Class<?>[components.length];
      Type[] generic = new Type[components.length];
      for (int i = 0; i < components.length; i++) {
        keys.add(keyOf(components[i].getName()));
        types[i] = components[i].getType();
        generic[i] = components[i].getGenericType();
      }
      Constructor<?> constructor;
      try {
        constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
      } catch (ReflectiveOperationException | RuntimeException e) {
        constructor = null; // reported when a value of this type is bound
      }
      return new Shape(List.copyOf(keys), types, generic, constructor);
    }
  };

  static Object record(ConfigNode.Mapping mapping, Class<?> type, String path, List<ConfigError> errors, boolean bestEffort) {
    Shape shape = SHAPES.get(type);
    List<String> known = shape.keys();
    for (Map.Entry<String, ConfigNode.Origin> key : mapping.keyOrigins().entrySet()) {
      if (!known.contains(key.getKey())) {
        String hint = known.isEmpty() ? " (this block takes no settings)" : Suggestions.hint(key.getKey(), known);
        errors.add(new ConfigError(key.getValue(), NodePaths.key(path, key.getKey()), "unknown key \"" + key.getKey() + "\"" + hint));
      }
    }
    Object[] args = new Object[known.size()];
    boolean failed = false;
    for (int i = 0; i < args.length; i++) {
      Class<?> componentType = shape.types()[i];
      String childPath = NodePaths.key(path, known.get(i));
      ConfigNode child = mapping.entries().get(known.get(i));
      if (child == null || ValueBinder.isNull(child)) {
        args[i] = missing(componentType);
        if (componentType.isPrimitive()) {
          failed = true;
          if (!explainedByTypo(errors, childPath)) {
            ConfigNode.Origin at = child != null ? mapping.keyOrigins().get(known.get(i)) : mapping.origin();
            errors.add(new ConfigError(at, childPath, "is required"));
          }
        }
        continue;
      }
      Object value = ValueBinder.value(child, shape.genericTypes()[i], childPath, errors);
      failed |= value == ValueBinder.FAILED;
      args[i] = value == ValueBinder.FAILED ? missing(componentType) : value;
    }
    if (!failed) {
      return construct(type, shape.constructor(), args, mapping, path, errors);
    }
    if (bestEffort) {
      // the fields' errors are reported; a rejection of their defaults would only repeat them
      return construct(type, shape.constructor(), args, mapping, path, new ArrayList<>());
    }
    return ValueBinder.FAILED;
  }

  /**
   * Whether a missing field at {@code path} is already explained by an unknown key beside it
   * that was taken for a misspelling of it ({@code upstrem} for {@code upstream}).
   */
  public static boolean explainedByTypo(List<ConfigError> errors, String path) {
    int dot = path.lastIndexOf('.');
    String parent = dot < 0 ? "" : path.substring(0, dot);
    String hint = "(did you mean \"" + path.substring(dot + 1) + "\"?)";
    for (ConfigError error : errors) {
      String errorPath = error.path();
      int errorDot = errorPath.lastIndexOf('.');
      String errorParent = errorDot < 0 ? "" : errorPath.substring(0, errorDot);
      if (errorParent.equals(parent) && error.message().startsWith("unknown key") && error.message().endsWith(hint)) {
        return true;
      }
    }
    return false;
  }

  private static Object construct(Class<?> type, Constructor<?> constructor, Object[] args, ConfigNode node, String path, List<ConfigError> errors) {
    if (constructor == null) {
      return ValueBinder.fail(errors, node, path, "cannot create " + type.getName() + ": no accessible canonical constructor");
    }
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      String message = cause instanceof IllegalArgumentException ? cause.getMessage() : "rejected: " + cause;
      return ValueBinder.fail(errors, node, path, message);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return ValueBinder.fail(errors, node, path, "cannot create " + type.getSimpleName() + ": " + e);
    }
  }

  private static Object missing(Class<?> type) {
    if (type == List.class || type == Collection.class) {
      return List.of();
    }
    if (type == Set.class) {
      return Set.of();
    }
    if (type == Map.class) {
      return Map.of();
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    return type == double.class ? 0.0 : null;
  }
}
