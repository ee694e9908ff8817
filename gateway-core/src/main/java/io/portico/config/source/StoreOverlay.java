package io.portico.config.source;

import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.spi.ConfigStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The config store's entries at one revision, each parsed into a {@link ConfigNode} tree whose
 * origins name the entry's key, or kept with the reason it cannot be used (not JSON, not an object,
 * a {@code name} that contradicts the key). Merged over the files by {@link ConfigLoader}.
 *
 * <p>Immutable. Parsing is done once per entry revision: {@link #of(ConfigStore.Snapshot, String,
 * StoreOverlay)} reuses what the previous overlay parsed for entries that did not change.
 */
public final class StoreOverlay {

  /** One entry: its tree, or the error that keeps it out. */
  public record Parsed(ConfigStore.Entry entry, ConfigNode node, ConfigError error) {}

  private final long revision;
  private final String origin;
  private final Map<String, Parsed> byKey; // sorted by key: merge order is the same on every replica

  private StoreOverlay(long revision, String origin, Map<String, Parsed> byKey) {
    this.revision = revision;
    this.origin = origin;
    this.byKey = Collections.unmodifiableMap(byKey);
  }

  /** An overlay with nothing in it, at revision 0 (a store not read yet). */
  public static StoreOverlay empty(String origin) {
    return new StoreOverlay(0, origin, new TreeMap<>());
  }

  /**
   * Parses a snapshot; entries unchanged since {@code previous} (same key and mod revision) keep
   * their parsed tree.
   *
   * @param origin names the store in the config's source, e.g. {@code etcd /portico/}
   */
  public static StoreOverlay of(ConfigStore.Snapshot snapshot, String origin, StoreOverlay previous) {
    Map<String, Parsed> parsed = new TreeMap<>();
    for (ConfigStore.Entry entry : snapshot.entries()) {
      Parsed before = previous != null ? previous.byKey.get(entry.key()) : null;
      boolean unchanged = before != null && before.entry().modRevision() == entry.modRevision()
          && before.entry().value().equals(entry.value());
      parsed.put(entry.key(), unchanged ? before : parse(entry));
    }
    return new StoreOverlay(snapshot.revision(), origin, parsed);
  }

  /** This overlay with {@code entry} written (an admin write being checked before it is stored). */
  public StoreOverlay with(ConfigStore.Entry entry) {
    Map<String, Parsed> copy = new TreeMap<>(byKey);
    copy.put(entry.key(), parse(entry));
    return new StoreOverlay(revision, origin, copy);
  }

  /** This overlay without the entry stored under {@code key}. */
  public StoreOverlay without(String key) {
    Map<String, Parsed> copy = new TreeMap<>(byKey);
    copy.remove(key);
    return new StoreOverlay(revision, origin, copy);
  }

  public long revision() {
    return revision;
  }

  /** Names the store, e.g. {@code etcd /portico/}. */
  public String origin() {
    return origin;
  }

  /** The stored entry of a kind and name, or {@code null}. */
  public ConfigStore.Entry entry(ConfigStore.Kind kind, String name) {
    for (Parsed parsed : byKey.values()) {
      if (parsed.entry().kind() == kind && parsed.entry().name().equals(name)) {
        return parsed.entry();
      }
    }
    return null;
  }

  public int size() {
    return byKey.size();
  }

  public Map<String, Parsed> entries() {
    return byKey;
  }

  /** The entries that could not be parsed, with their error, by key. */
  public Map<String, List<ConfigError>> unusable() {
    Map<String, List<ConfigError>> errors = new LinkedHashMap<>();
    byKey.forEach((key, parsed) -> {
      if (parsed.error() != null) {
        errors.put(key, List.of(parsed.error()));
      }
    });
    return errors;
  }

  private static Parsed parse(ConfigStore.Entry entry) {
    String key = entry.key();
    Object json;
    try {
      json = Json.decodeValue(entry.value());
    } catch (DecodeException e) {
      return new Parsed(entry, null, error(key, 0, "", "not valid JSON: " + firstLine(e.getMessage())));
    }
    if (!(json instanceof JsonObject)) {
      return new Parsed(entry, null, error(key, 0, "", "expected a JSON object, got " + (json == null ? "null" : json.getClass().getSimpleName())));
    }
    ConfigNode node;
    try {
      node = YamlReader.parse(entry.value(), key);
    } catch (ConfigException e) {
      ConfigError first = e.errors().get(0);
      return new Parsed(entry, null, error(key, first.origin() != null ? first.origin().line() : 0, first.path(), first.message()));
    }
    if (!(node instanceof ConfigNode.Mapping mapping)) {
      return new Parsed(entry, null, error(key, 0, "", "expected a JSON object"));
    }
    if (entry.kind() == ConfigStore.Kind.PLUGINS) {
      return new Parsed(entry, mapping, null);
    }
    return named(entry, mapping);
  }

  /** A route or upstream takes its name from the key; a {@code name} inside must agree. */
  private static Parsed named(ConfigStore.Entry entry, ConfigNode.Mapping mapping) {
    if (entry.name().isBlank() || entry.name().contains("/")) {
      return new Parsed(entry, null, error(entry.key(), 0, "", "the name part of the key may not be empty or contain /"));
    }
    ConfigNode name = mapping.entries().get("name");
    if (name != null) {
      if (name instanceof ConfigNode.Scalar scalar && entry.name().equals(scalar.value())) {
        return new Parsed(entry, mapping, null);
      }
      String written = name instanceof ConfigNode.Scalar scalar ? "\"" + scalar.value() + "\"" : ConfigNode.describe(name);
      return new Parsed(entry, null, error(entry.key(), mapping.keyOrigins().get("name").line(), "name",
          "is " + written + " but the key names \"" + entry.name() + "\" (leave it out: the key gives the name)"));
    }
    Map<String, ConfigNode> entries = new LinkedHashMap<>();
    Map<String, ConfigNode.Origin> origins = new LinkedHashMap<>();
    ConfigNode.Origin at = new ConfigNode.Origin(entry.key(), mapping.origin().line());
    entries.put("name", new ConfigNode.Scalar(entry.name(), true, at));
    origins.put("name", at);
    entries.putAll(mapping.entries());
    origins.putAll(mapping.keyOrigins());
    return new Parsed(entry, new ConfigNode.Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(origins),
        mapping.origin()), null);
  }

  private static ConfigError error(String key, int line, String path, String message) {
    return new ConfigError(new ConfigNode.Origin(key, line), path, message);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public String toString() {
    return "StoreOverlay[" + origin + " @" + revision + " " + byKey.keySet() + "]";
  }
}
