package io.portico.config;

import java.util.List;
import java.util.Map;

/**
 * A parsed config document (YAML or JSON) that remembers where each value came from, so that
 * binding and validation errors can name the file and line.
 */
public sealed interface ConfigNode permits ConfigNode.Scalar, ConfigNode.Sequence, ConfigNode.Mapping {

  /** Where a node starts: a file (or an etcd key) and a 1-based line (0 when unknown). */
  record Origin(String source, int line) {
    @Override
    public String toString() {
      return line > 0 ? source + ":" + line : source;
    }
  }

  Origin origin();

  /** How an error message names a node: {@code a mapping}, {@code a list} or the quoted scalar. */
  static String describe(ConfigNode node) {
    if (node instanceof Mapping) {
      return "a mapping";
    }
    if (node instanceof Sequence) {
      return "a list";
    }
    String value = ((Scalar) node).value();
    return value == null ? "null" : "\"" + value + "\"";
  }

  /** A scalar; {@code value} is {@code null} for an explicit null ({@code ~} or {@code null}). */
  record Scalar(String value, boolean quoted, Origin origin) implements ConfigNode {}

  record Sequence(List<ConfigNode> items, Origin origin) implements ConfigNode {
    public Sequence {
      items = List.copyOf(items);
    }
  }

  /** A mapping with string keys, in document order. */
  record Mapping(Map<String, ConfigNode> entries, Map<String, Origin> keyOrigins, Origin origin) implements ConfigNode {}
}
