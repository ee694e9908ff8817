package io.portico.plugin;

import io.portico.spi.ConfigStoreFactory;
import io.portico.spi.EndpointSourceFactory;
import io.portico.spi.PluginFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin factories, discovery factories and config stores a gateway knows, by name. Found with {@link
 * ServiceLoader} on one or more class loaders (the application's, then one per drop-in plugin
 * jar); a name declared by two classes is an error naming both.
 *
 * <p>Immutable and thread-safe once built. Building it loads classes: do it at start-up, off the
 * event loops.
 */
public final class PluginRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  /** Chain order: by stage, then descending priority, then name. */
  public static final Comparator<PluginFactory<?>> CHAIN_ORDER = Comparator
      .comparing((PluginFactory<?> f) -> f.stage())
      .thenComparing(Comparator.comparingInt((PluginFactory<?> f) -> f.priority()).reversed())
      .thenComparing(PluginFactory::name);

  private final Map<String, PluginFactory<?>> plugins;
  private final Map<String, EndpointSourceFactory<?, ?>> endpointSources;
  private final Map<String, ConfigStoreFactory<?>> configStores;
  private final Path searched;

  private PluginRegistry(Map<String, PluginFactory<?>> plugins, Map<String, EndpointSourceFactory<?, ?>> endpointSources,
      Map<String, ConfigStoreFactory<?>> configStores, Path searched) {
    this.plugins = Collections.unmodifiableMap(plugins);
    this.endpointSources = Collections.unmodifiableMap(endpointSources);
    this.configStores = Collections.unmodifiableMap(configStores);
    this.searched = searched;
  }

  /** This registry, noting the {@code plugins-dir} its drop-in jars were looked for in. */
  public PluginRegistry searched(Path pluginsDir) {
    return new PluginRegistry(plugins, endpointSources, configStores, pluginsDir == null ? null : pluginsDir.toAbsolutePath());
  }

  /** The {@code plugins-dir} searched for drop-in jars (absolute), if any was. */
  public Optional<Path> searchedDir() {
    return Optional.ofNullable(searched);
  }

  /** The factories declared in {@code META-INF/services} visible to {@code loader}. */
  public static PluginRegistry load(ClassLoader loader) {
    return load(List.of(loader));
  }

  /**
   * The factories visible to any of {@code loaders}. A class seen through several loaders (a
   * drop-in jar's loader also sees its parent's) counts once.
   *
   * @throws IllegalStateException when two classes declare one name, a name is not kebab-case,
   *     or a provider cannot be instantiated
   */
  public static PluginRegistry load(List<ClassLoader> loaders) {
    List<PluginFactory<?>> plugins = new ArrayList<>();
    List<EndpointSourceFactory<?, ?>> sources = new ArrayList<>();
    List<ConfigStoreFactory<?>> stores = new ArrayList<>();
    for (ClassLoader loader : loaders) {
      try {
        ServiceLoader.load(PluginFactory.class, loader).forEach(f -> plugins.add((PluginFactory<?>) f));
        ServiceLoader.load(EndpointSourceFactory.class, loader).forEach(f -> sources.add((EndpointSourceFactory<?, ?>) f));
        ServiceLoader.load(ConfigStoreFactory.class, loader).forEach(f -> stores.add((ConfigStoreFactory<?>) f));
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException("cannot load plugins: " + e.getMessage(), e);
      }
    }
    return of(plugins, sources, stores);
  }

  /** A registry of the given factories, checked like {@link #load(List)}. */
  public static PluginRegistry of(Collection<? extends PluginFactory<?>> plugins,
      Collection<? extends EndpointSourceFactory<?, ?>> endpointSources) {
    return of(plugins, endpointSources, List.of());
  }

  /** A registry of the given factories and config stores, checked like {@link #load(List)}. */
  public static PluginRegistry of(Collection<? extends PluginFactory<?>> plugins,
      Collection<? extends EndpointSourceFactory<?, ?>> endpointSources, Collection<? extends ConfigStoreFactory<?>> configStores) {
    List<String> problems = new ArrayList<>();
    Map<String, PluginFactory<?>> byName = index(plugins, PluginFactory::name, "plugin", problems);
    Map<String, EndpointSourceFactory<?, ?>> byType = index(endpointSources, EndpointSourceFactory::type, "discovery type", problems);
    Map<String, ConfigStoreFactory<?>> stores = index(configStores, ConfigStoreFactory::type, "config store", problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    LOG.debug("plugins {}, discovery types {}, config stores {}", byName.keySet(), byType.keySet(), stores.keySet());
    return new PluginRegistry(byName, byType, stores, null);
  }

  /**
   * This registry with one more discovery type, one that belongs to a single gateway (the
   * in-memory registry of instances registered through its admin API).
   *
   * @throws IllegalStateException when the type is taken
   */
  public PluginRegistry withEndpointSource(EndpointSourceFactory<?, ?> factory) {
    List<EndpointSourceFactory<?, ?>> sources = new ArrayList<>(endpointSources.values());
    sources.add(factory);
    return of(plugins.values(), sources, configStores.values()).searched(searched);
  }

  private static <F> Map<String, F> index(Collection<? extends F> factories, Function<F, String> name, String kind, List<String> problems) {
    Map<String, F> byName = new TreeMap<>();
    for (F factory : factories) {
      String key = name.apply(factory);
      F other = key == null ? null : byName.get(key);
      if (key == null || !NAME.matcher(key).matches()) {
        problems.add(kind + " name \"" + key + "\" of " + factory.getClass().getName() + " is not kebab-case");
      } else if (other == null) {
        byName.put(key, factory);
      } else if (other.getClass() != factory.getClass()) {
        problems.add(kind + " \"" + key + "\" is declared by both " + other.getClass().getName()
            + " and " + factory.getClass().getName());
      }
    }
    return byName;
  }

  /** The plugin factory named {@code name} ({@code rate-limit}). */
  public Optional<PluginFactory<?>> plugin(String name) {
    return Optional.ofNullable(plugins.get(name));
  }

  /** The discovery factory of {@code type} ({@code etcd}). */
  public Optional<EndpointSourceFactory<?, ?>> endpointSource(String type) {
    return Optional.ofNullable(endpointSources.get(type));
  }

  /** The config store of {@code type} ({@code etcd}). */
  public Optional<ConfigStoreFactory<?>> configStore(String type) {
    return Optional.ofNullable(configStores.get(type));
  }

  /** Every plugin factory, in chain order. */
  public List<PluginFactory<?>> all() {
    List<PluginFactory<?>> all = new ArrayList<>(plugins.values());
    all.sort(CHAIN_ORDER);
    return List.copyOf(all);
  }

  /** Every discovery factory, by type. */
  public List<EndpointSourceFactory<?, ?>> endpointSources() {
    return List.copyOf(endpointSources.values());
  }

  /** Plugin names, sorted. */
  public Set<String> pluginNames() {
    return plugins.keySet();
  }

  /** Discovery types, sorted. */
  public Set<String> endpointSourceTypes() {
    return endpointSources.keySet();
  }
}
