package io.portico.config.source;

import io.portico.config.ConfigError;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges the top-level mappings of several documents (a file and its includes, or the files of a
 * directory) into one: lists such as {@code routes} and {@code upstreams} concatenate, the maps
 * {@code plugins} and {@code discovery} merge key by key, and anything else defined twice is an
 * error naming both places. Nodes keep their own origins, so errors still name the right file.
 */
final class DocumentMerger {

  /** Top-level maps whose entries may come from different files. */
  private static final Set<String> MERGED_MAPS = Set.of("plugins", "discovery");

  private final Map<String, ConfigNode> entries = new LinkedHashMap<>();
  private final Map<String, ConfigNode.Origin> keyOrigins = new LinkedHashMap<>();
  private final List<ConfigError> errors;
  private ConfigNode.Origin origin;

  DocumentMerger(List<ConfigError> errors) {
    this.errors = errors;
  }

  /** Adds one document's top-level entries, except the keys in {@code skip}. */
  void merge(ConfigNode.Mapping document, Set<String> skip) {
    if (origin == null) {
      origin = document.origin();
    }
    for (Map.Entry<String, ConfigNode> entry : document.entries().entrySet()) {
      String key = entry.getKey();
      ConfigNode value = entry.getValue();
      ConfigNode.Origin at = document.keyOrigins().get(key);
      ConfigNode existing = entries.get(key);
      if (skip.contains(key) || isNull(value)) {
        continue;
      }
      if (existing == null) {
        entries.put(key, value);
        keyOrigins.put(key, at);
      } else if (existing instanceof ConfigNode.Sequence first && value instanceof ConfigNode.Sequence second) {
        List<ConfigNode> items = new ArrayList<>(first.items());
        items.addAll(second.items());
        entries.put(key, new ConfigNode.Sequence(items, first.origin()));
      } else if (MERGED_MAPS.contains(key) && existing instanceof ConfigNode.Mapping first
          && value instanceof ConfigNode.Mapping second) {
        entries.put(key, mergeMaps(key, first, second));
      } else {
        errors.add(new ConfigError(at, key, "defined twice (first at " + keyOrigins.get(key) + ")"));
      }
    }
  }

  /** The merged document; an empty mapping when nothing was merged. */
  ConfigNode.Mapping result(ConfigNode.Origin fallback) {
    return new ConfigNode.Mapping(Collections.unmodifiableMap(new LinkedHashMap<>(entries)),
        Collections.unmodifiableMap(new LinkedHashMap<>(keyOrigins)), origin != null ? origin : fallback);
  }

  private ConfigNode.Mapping mergeMaps(String key, ConfigNode.Mapping first, ConfigNode.Mapping second) {
    Map<String, ConfigNode> merged = new LinkedHashMap<>(first.entries());
    Map<String, ConfigNode.Origin> origins = new LinkedHashMap<>(first.keyOrigins());
    for (Map.Entry<String, ConfigNode> entry : second.entries().entrySet()) {
      String name = entry.getKey();
      ConfigNode.Origin at = second.keyOrigins().get(name);
      if (merged.containsKey(name)) {
        errors.add(new ConfigError(at, NodePaths.key(key, name), "defined twice (first at " + origins.get(name) + ")"));
      } else {
        merged.put(name, entry.getValue());
        origins.put(name, at);
      }
    }
    return new ConfigNode.Mapping(Collections.unmodifiableMap(merged), Collections.unmodifiableMap(origins), first.origin());
  }

  private static boolean isNull(ConfigNode node) {
    return node instanceof ConfigNode.Scalar scalar && scalar.value() == null;
  }
}
