package io.portico.config.source;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Parses one YAML 1.2 document (JSON included) into a {@link ConfigNode} tree in which every
 * node and every mapping key knows its source and 1-based line. Duplicate keys within one
 * mapping and non-string keys are errors; all of them in a document are reported together.
 *
 * <p>Stateless and thread-safe. {@link #read(Path)} does blocking file I/O: never call it on an
 * event loop.
 */
public final class YamlReader {

  private YamlReader() {}

  /** Reads and parses a file; origins name the file as given ({@code routes/gateway.yaml}). */
  public static ConfigNode read(Path file) throws ConfigException {
    return parse(readText(file), file.toString());
  }

  /** Reads a file as UTF-8 text, dropping a byte order mark; failures become a ConfigError. */
  static String readText(Path file) throws ConfigException {
    try {
      return decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw cannotRead(file, e);
    }
  }

  static String decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  static ConfigException cannotRead(Path file, IOException e) {
    String reason = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
    return new ConfigException(List.of(new ConfigError(new ConfigNode.Origin(file.toString(), 0), "", "cannot read: " + reason)));
  }

  /**
   * Parses YAML or JSON text. {@code source} names it in origins: a file path or an etcd key. An
   * empty document parses to an empty mapping.
   */
  public static ConfigNode parse(String text, String source) throws ConfigException {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(source)
        .setSchema(new CoreSchema())
        .setAllowDuplicateKeys(true) // detected below, with both lines named
        .setUseMarks(true)
        .build();
    Optional<Node> document;
    try {
      document = new Compose(settings).composeString(text);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(List.of(new ConfigError(new ConfigNode.Origin(source, line), "", "invalid YAML: " + e.getProblem())));
    } catch (YamlEngineException e) {
      throw new ConfigException(List.of(new ConfigError(new ConfigNode.Origin(source, 0), "", "invalid YAML: " + e.getMessage())));
    } catch (IllegalArgumentException e) {
      // snakeyaml-engine lets some malformed input escape as this (a tag such as "!/%CE" that
      // percent-decodes to a broken one): still the operator's YAML, never a crash of the loader
      throw new ConfigException(List.of(new ConfigError(new ConfigNode.Origin(source, 0), "", "invalid YAML: " + e.getMessage())));
    }
    if (document.isEmpty()) {
      ConfigNode.Origin origin = new ConfigNode.Origin(source, 1);
      return new ConfigNode.Mapping(Map.of(), Map.of(), origin);
    }
    Converter converter = new Converter(source);
    ConfigNode root = converter.convert(document.get(), "");
    if (!converter.errors.isEmpty()) {
      throw new ConfigException(converter.errors);
    }
    return root;
  }

  /** Turns snakeyaml nodes into ConfigNodes, collecting structural errors. */
  private static final class Converter {
    private final String source;
    private final List<ConfigError> errors = new ArrayList<>();
    // aliases share nodes; a node met again on the current branch is a recursive alias
    private final Map<Node, Boolean> onBranch = new IdentityHashMap<>();

    Converter(String source) {
      this.source = source;
    }

    ConfigNode convert(Node node, String path) {
      ConfigNode.Origin origin = origin(node.getStartMark());
      if (onBranch.containsKey(node)) {
        errors.add(new ConfigError(origin, path, "recursive alias"));
        return new ConfigNode.Scalar(null, false, origin);
      }
      onBranch.put(node, Boolean.TRUE);
      try {
        if (node instanceof ScalarNode scalar) {
          boolean plain = scalar.getScalarStyle() == ScalarStyle.PLAIN;
          String value = plain && Tag.NULL.equals(scalar.getTag()) ? null : scalar.getValue();
          return new ConfigNode.Scalar(value, !plain, origin);
        }
        if (node instanceof SequenceNode sequence) {
          List<ConfigNode> items = new ArrayList<>();
          for (Node item : sequence.getValue()) {
            items.add(convert(item, NodePaths.index(path, items.size())));
          }
          return new ConfigNode.Sequence(items, origin);
        }
        return convertMapping((MappingNode) node, path, origin);
      } finally {
        onBranch.remove(node);
      }
    }

    private ConfigNode convertMapping(MappingNode mapping, String path, ConfigNode.Origin origin) {
      Map<String, ConfigNode> entries = new LinkedHashMap<>();
      Map<String, ConfigNode.Origin> keyOrigins = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        ConfigNode.Origin keyOrigin = origin(tuple.getKeyNode().getStartMark());
        if (!(tuple.getKeyNode() instanceof ScalarNode keyNode) || keyValue(keyNode) == null) {
          errors.add(new ConfigError(keyOrigin, path, "keys must be strings"));
          continue;
        }
        String key = keyNode.getValue();
        String keyPath = NodePaths.key(path, key);
        if (entries.containsKey(key)) {
          errors.add(new ConfigError(keyOrigin, keyPath, "duplicate key \"" + key + "\" (first at " + keyOrigins.get(key) + ")"));
          continue;
        }
        keyOrigins.put(key, keyOrigin);
        entries.put(key, convert(tuple.getValueNode(), keyPath));
      }
      return new ConfigNode.Mapping(
          Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keyOrigins), origin);
    }

    private static String keyValue(ScalarNode key) {
      boolean plain = key.getScalarStyle() == ScalarStyle.PLAIN;
      return plain && Tag.NULL.equals(key.getTag()) ? null : key.getValue();
    }

    private ConfigNode.Origin origin(Optional<Mark> mark) {
      return new ConfigNode.Origin(source, mark.map(m -> m.getLine() + 1).orElse(0));
    }
  }
}
