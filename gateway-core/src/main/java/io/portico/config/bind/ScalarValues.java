package io.portico.config.bind;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Converts scalar text to the leaf types a config record may use: strings, booleans, numbers,
 * durations, enums (kebab-case), and any type with a public static {@code parse(String)}.
 */
final class ScalarValues {

  private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

  private ScalarValues() {}

  /** Whether {@code type} binds from a scalar. */
  static boolean supports(Class<?> type) {
    return type == String.class || type == Boolean.class || type == boolean.class
        || type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Double.class || type == double.class || type == Duration.class
        || type.isEnum() || parser(type) != null;
  }

  /**
   * Converts {@code text} (never null) to {@code type}.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  static Object convert(Class<?> type, String text) {
    if (type == String.class) {
      return text;
    }
    if (type == Boolean.class || type == boolean.class) {
      if (text.equalsIgnoreCase("true")) {
        return Boolean.TRUE;
      }
      if (text.equalsIgnoreCase("false")) {
        return Boolean.FALSE;
      }
      throw new IllegalArgumentException("expected true or false, got \"" + text + "\"");
    }
    if (type == Integer.class || type == int.class) {
      long value = integer(text);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("number out of range: " + text);
      }
      return (int) value;
    }
    if (type == Long.class || type == long.class) {
      return integer(text);
    }
    if (type == Double.class || type == double.class) {
      if (!DECIMAL.matcher(text).matches()) {
        throw new IllegalArgumentException("expected a number, got \"" + text + "\"");
      }
      return Double.parseDouble(text);
    }
    if (type == Duration.class) {
      return Durations.parse(text);
    }
    if (type.isEnum()) {
      return enumConstant(type, text);
    }
    return parse(type, text);
  }

  /** The kebab-case form of an enum constant: {@code ROUND_ROBIN} is {@code round-robin}. */
  static String kebab(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static long integer(String text) {
    if (!INTEGER.matcher(text).matches()) {
      throw new IllegalArgumentException("expected a whole number, got \"" + text + "\"");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("number out of range: " + text);
    }
  }

  private static Object enumConstant(Class<?> type, String text) {
    List<String> names = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      String name = kebab((Enum<?>) constant);
      if (name.equals(text)) {
        return constant;
      }
      names.add(name);
    }
    throw new IllegalArgumentException("unknown value \"" + text + "\"" + Suggestions.hint(text, names));
  }

  private static Object parse(Class<?> type, String text) {
    Method parse = parser(type);
    if (parse == null) {
      throw new IllegalStateException("no scalar form for " + type.getName());
    }
    try {
      return parse.invoke(null, text);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("cannot parse \"" + text + "\": " + e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A public static {@code parse(String)} returning the type, or null. */
  static Method parser(Class<?> type) {
    return PARSERS.get(type).orElse(null);
  }

  private static final ClassValue<Optional<Method>> PARSERS = new ClassValue<>() {
    @Override
    protected Optional<Method> computeValue(Class<?> type) {
      for (Method m : type.getMethods()) {
        if (m.getName().equals("parse") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class
            && Modifier.isStatic(m.getModifiers()) && type.isAssignableFrom(m.getReturnType())) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  };
}
