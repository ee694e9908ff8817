package io.portico.config.load;

import io.portico.config.ConfigError;
import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import io.portico.config.bind.ValueBinder;
import io.portico.config.source.StoreOverlay;
import io.portico.spi.ConfigStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays the config store's entries over the files' document. A stored route or upstream replaces
 * the file's one of the same name in place; the others are appended in key order. The stored
 * global plugins are merged plugin by plugin into the files' {@code plugins}, the stored block
 * replacing the file's block of the same plugin. Remembers where each entry landed, so that an
 * error found in the merged document can be traced back to its key, with a path relative to it.
 */
final class OverlayMerger {

  private static final ConfigNode.Origin MERGED = new ConfigNode.Origin("config store", 0);

  /** The merged document and, per entry key, its path in it ({@code routes[4]}, {@code plugins}). */
  record Merged(ConfigNode.Mapping root, Map<String, String> pathsByKey) {

    /** The errors that lie in a stored entry, by its key, with paths relative to the entry. */
    Map<String, List<ConfigError>> blame(List<ConfigError> errors) {
      Map<String, List<ConfigError>> blamed = new LinkedHashMap<>();
      for (ConfigError error : errors) {
        String key = error.origin() != null ? error.origin().source() : null;
        String base = key != null ? pathsByKey.get(key) : null;
        if (base != null) {
          blamed.computeIfAbsent(key, k -> new ArrayList<>())
              .add(new ConfigError(error.origin(), relative(base, error.path()), error.message()));
        }
      }
      return blamed;
    }

    private static String relative(String base, String path) {
      if (path == null || !path.startsWith(base)) {
        return path;
      }
      String rest = path.substring(base.length());
      return rest.startsWith(".") ? rest.substring(1) : rest;
    }
  }

  private OverlayMerger() {}

  /** Merges every usable entry of {@code overlay} except those stored under {@code leftOut}. */
  static Merged merge(ConfigNode.Mapping files, StoreOverlay overlay, Set<String> leftOut) {
    Map<String, ConfigNode.Mapping> routes = new LinkedHashMap<>();
    Map<String, ConfigNode.Mapping> upstreams = new LinkedHashMap<>();
    Map<String, String> keysByRoute = new LinkedHashMap<>();
    Map<String, String> keysByUpstream = new LinkedHashMap<>();
    ConfigNode.Mapping plugins = null;
    String pluginsKey = null;
    for (StoreOverlay.Parsed parsed : overlay.entries().values()) {
      ConfigStore.Entry entry = parsed.entry();
      if (parsed.node() == null || leftOut.contains(entry.key())) {
        continue;
      }
      ConfigNode.Mapping node = (ConfigNode.Mapping) parsed.node();
      switch (entry.kind()) {
        case ROUTE -> {
          routes.put(entry.name(), node);
          keysByRoute.put(entry.name(), entry.key());
        }
        case UPSTREAM -> {
          upstreams.put(entry.name(), node);
          keysByUpstream.put(entry.name(), entry.key());
        }
        case PLUGINS -> {
          plugins = node;
          pluginsKey = entry.key();
        }
      }
    }
    Map<String, String> paths = new LinkedHashMap<>();
    Map<String, ConfigNode> entries = new LinkedHashMap<>(files.entries());
    Map<String, ConfigNode.Origin> origins = new LinkedHashMap<>(files.keyOrigins());
    overlayList(entries, origins, "routes", routes, keysByRoute, paths);
    overlayList(entries, origins, "upstreams", upstreams, keysByUpstream, paths);
    if (plugins != null) {
      overlayPlugins(entries, origins, plugins);
      paths.put(pluginsKey, "plugins");
    }
    ConfigNode.Mapping root = new ConfigNode.Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(origins),
        files.origin());
    return new Merged(root, paths);
  }

  private static void overlayList(Map<String, ConfigNode> entries, Map<String, ConfigNode.Origin> origins, String list,
      Map<String, ConfigNode.Mapping> stored, Map<String, String> keys, Map<String, String> paths) {
    if (stored.isEmpty()) {
      return;
    }
    ConfigNode existing = entries.get(list);
    if (existing != null && !(existing instanceof ConfigNode.Sequence) && !ValueBinder.isNull(existing)) {
      return; // the files' list is broken: their own error rejects the config
    }
    List<ConfigNode> items = new ArrayList<>();
    Map<String, ConfigNode.Mapping> remaining = new LinkedHashMap<>(stored);
    if (existing instanceof ConfigNode.Sequence sequence) {
      for (ConfigNode item : sequence.items()) {
        String name = nameOf(item);
        ConfigNode.Mapping replacement = name != null ? remaining.remove(name) : null;
        if (replacement != null) {
          paths.put(keys.get(name), NodePaths.index(list, items.size()));
          items.add(replacement);
        } else {
          items.add(item);
        }
      }
    }
    remaining.forEach((name, node) -> {
      paths.put(keys.get(name), NodePaths.index(list, items.size()));
      items.add(node);
    });
    ConfigNode.Origin at = existing != null ? existing.origin() : MERGED;
    entries.put(list, new ConfigNode.Sequence(items, at));
    origins.putIfAbsent(list, at);
  }

  private static void overlayPlugins(Map<String, ConfigNode> entries, Map<String, ConfigNode.Origin> origins,
      ConfigNode.Mapping stored) {
    ConfigNode existing = entries.get("plugins");
    if (existing != null && !(existing instanceof ConfigNode.Mapping) && !ValueBinder.isNull(existing)) {
      return;
    }
    Map<String, ConfigNode> merged = new LinkedHashMap<>();
    Map<String, ConfigNode.Origin> mergedOrigins = new LinkedHashMap<>();
    if (existing instanceof ConfigNode.Mapping files) {
      merged.putAll(files.entries());
      mergedOrigins.putAll(files.keyOrigins());
    }
    merged.putAll(stored.entries());
    mergedOrigins.putAll(stored.keyOrigins());
    ConfigNode.Origin at = existing != null ? existing.origin() : stored.origin();
    entries.put("plugins", new ConfigNode.Mapping(Collections.unmodifiableMap(merged), Collections.unmodifiableMap(mergedOrigins), at));
    origins.putIfAbsent("plugins", at);
  }

  private static String nameOf(ConfigNode item) {
    return item instanceof ConfigNode.Mapping mapping && mapping.entries().get("name") instanceof ConfigNode.Scalar scalar
        ? scalar.value() : null;
  }
}
