package io.portico.config.load;

import io.portico.config.ConfigDocuments;
import io.portico.config.ConfigError;
import io.portico.config.ConfigException;
import io.portico.config.ConfigNode;
import io.portico.config.ConfigSettings;
import io.portico.config.DiscoveryBinding;
import io.portico.config.GatewayConfig;
import io.portico.config.NodePaths;
import io.portico.config.PluginBinding;
import io.portico.config.RejectedEntry;
import io.portico.config.RouteConfig;
import io.portico.config.StoreBinding;
import io.portico.config.UpstreamConfig;
import io.portico.config.ValidatedConfig;
import io.portico.config.bind.ConfigProblems;
import io.portico.config.bind.DiscoveryBinder;
import io.portico.config.bind.PluginChains;
import io.portico.config.bind.RecordBinder;
import io.portico.config.bind.StoreBinder;
import io.portico.config.check.GatewayChecks;
import io.portico.config.check.RouteChecks;
import io.portico.config.check.TlsFileChecks;
import io.portico.config.check.UpstreamChecks;
import io.portico.config.source.ConfigFileReader;
import io.portico.config.source.ContentHash;
import io.portico.config.source.StoreOverlay;
import io.portico.plugin.PluginRegistry;
import io.portico.spi.EndpointSourceFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Loads a whole config and validates it before anything uses it: binds {@link GatewayConfig}
 * strictly, checks names, references, matches, balancers, retries, ports and proxies, binds each
 * discovery and plugin block to its factory's record and runs the factory's validation, and
 * builds each route's ordered plugin list. Every error found is reported at once, each with file,
 * line and path.
 *
 * <p>With a config store, the store's entries are laid over the files ({@link OverlayMerger}) and
 * validated together; an entry whose own content is at fault is left out with its errors (see
 * {@link ValidatedConfig#rejected()}) and the rest is used.
 *
 * <p>Thread-safe. {@link #load(Path)} reads files: call it off the event loops (at start-up, or in
 * {@code executeBlocking}).
 */
public final class ConfigLoader {

  /** The discovery type of the in-memory registry of instances registered through the admin API. */
  public static final String LOCAL_REGISTRY = "registry";

  private final PluginRegistry registry;

  public ConfigLoader(PluginRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * Loads a file (with its includes) or every {@code *.yaml}/{@code *.yml} of a directory.
   *
   * @return the config; its source is {@code file:<path>} and its version a hash of the files
   * @throws ConfigException with every read, syntax, binding and validation error
   */
  public ValidatedConfig load(Path fileOrDir) throws ConfigException {
    return load(read(fileOrDir), fileOrDir);
  }

  /**
   * Validates a document that did not come from files (an etcd snapshot). {@code include} is not
   * supported here. The version is a hash of the content.
   *
   * @param source names the origin in {@link ValidatedConfig#source()}, e.g. {@code etcd}
   * @param baseDir where relative paths in the config resolve
   */
  public ValidatedConfig load(ConfigNode root, String source, Path baseDir) throws ConfigException {
    if (!(root instanceof ConfigNode.Mapping mapping)) {
      throw new ConfigException(List.of(new ConfigError(root.origin(), "", "a config document must be a mapping")));
    }
    return validate(mapping, ContentHash.of(root), source, baseDir);
  }

  /**
   * Reads a file (with its includes) or a directory without validating it. Blocking file I/O.
   *
   * @throws ConfigException with every read, syntax and merge error
   */
  public ConfigDocuments read(Path fileOrDir) throws ConfigException {
    return ConfigFileReader.read(fileOrDir);
  }

  /** Validates documents already read from {@code fileOrDir}. */
  public ValidatedConfig load(ConfigDocuments documents, Path fileOrDir) throws ConfigException {
    return validate(documents.root(), documents.version(), "file:" + fileOrDir, baseDir(fileOrDir));
  }

  /**
   * Validates documents read from {@code fileOrDir} with the config store's entries laid over
   * them (a stored route or upstream replaces the file's one of the same name; stored global
   * plugins replace the file's plugin of the same name). Entries at fault are left out and listed
   * in {@link ValidatedConfig#rejected()}: first those that are not JSON objects, then, round by
   * round, those in which the validation of the merged document found errors (leaving out an
   * upstream can make the routes that use it fail in the next round). The result's version is a
   * hash of the merged content, its revision the overlay's.
   *
   * @param overlay the store's entries, or {@code null} for files alone
   * @throws ConfigException when errors remain that lie in no stored entry (in the files, say)
   */
  public ValidatedConfig load(ConfigDocuments documents, Path fileOrDir, StoreOverlay overlay) throws ConfigException {
    if (overlay == null) {
      return load(documents, fileOrDir);
    }
    Map<String, List<ConfigError>> rejected = new TreeMap<>(overlay.unusable());
    String source = "file:" + fileOrDir + " + " + overlay.origin();
    while (true) {
      OverlayMerger.Merged merged = OverlayMerger.merge(documents.root(), overlay, rejected.keySet());
      try {
        ValidatedConfig config = validate(merged.root(), ContentHash.of(merged.root()), source, baseDir(fileOrDir));
        List<RejectedEntry> leftOut = new ArrayList<>();
        rejected.forEach((key, errors) -> leftOut.add(new RejectedEntry(key, errors)));
        return config.withRevision(Long.toString(overlay.revision()), leftOut);
      } catch (ConfigException e) {
        Map<String, List<ConfigError>> blamed = merged.blame(e.errors());
        if (blamed.isEmpty()) {
          throw e;
        }
        rejected.putAll(blamed);
      }
    }
  }

  /**
   * The config store the documents name in {@code config.etcd} or {@code config.kubernetes}, or {@code null}; only the
   * {@code config} block is looked at.
   *
   * @throws ConfigException when that block is invalid or names a store that is not installed
   */
  public StoreBinding store(ConfigDocuments documents) throws ConfigException {
    ConfigProblems problems = new ConfigProblems(documents.root());
    ConfigNode node = documents.root().entries().get("config");
    ConfigSettings settings = node == null ? null : RecordBinder.bindBestEffort(node, ConfigSettings.class, "config", problems.list());
    StoreBinding binding = problems.isEmpty() ? new StoreBinder(registry, problems).bind(settings) : null;
    if (!problems.isEmpty()) {
      throw problems.exception();
    }
    return binding;
  }

  private static Path baseDir(Path fileOrDir) {
    Path absolute = fileOrDir.toAbsolutePath().normalize();
    return Files.isDirectory(absolute) ? absolute : absolute.getParent();
  }

  private ValidatedConfig validate(ConfigNode.Mapping root, String version, String source, Path baseDir)
      throws ConfigException {
    ConfigProblems problems = new ConfigProblems(root);
    // routes and upstreams bind one by one, so one bad route leaves the others checkable
    GatewayConfig base = RecordBinder.bindBestEffort(without(root, "routes", "upstreams"), GatewayConfig.class, "", problems.list());
    List<UpstreamConfig> upstreams = bindEach(root, "upstreams", UpstreamConfig.class, problems);
    List<RouteConfig> routes = bindEach(root, "routes", RouteConfig.class, problems);
    Map<String, ConfigNode> globalPlugins = base != null && base.plugins() != null ? base.plugins() : Map.of();
    Map<String, ConfigNode> discovery = base != null && base.discovery() != null ? base.discovery() : Map.of();
    StoreBinding store = null;
    if (base != null) {
      new GatewayChecks(problems).check(base);
      store = new StoreBinder(registry, problems).bind(base.config());
      discovery = withStoreSettings(discovery, store, base.config());
    }
    new RouteChecks(problems, new UpstreamChecks(problems).check(upstreams)).check(routes);
    new TlsFileChecks(problems, baseDir).check(base, upstreams);
    Map<String, DiscoveryBinding> bindings = new DiscoveryBinder(registry, problems).bind(discovery, upstreams);
    if (store != null) {
      checkLocalRegistry(upstreams, bindings, store.type(), problems);
    }
    Map<String, List<PluginBinding>> chains = new PluginChains(registry, problems).build(globalPlugins, routes);
    if (!problems.isEmpty() || base == null) {
      throw problems.exception();
    }
    GatewayConfig gateway = new GatewayConfig(base.listen(), base.admin(), base.config(), base.discovery(),
        base.trustedProxies(), base.pluginsDir(), base.limits(), base.drainTimeout(),
        List.copyOf(upstreams), List.copyOf(routes), base.plugins(), base.overload());
    return new ValidatedConfig(gateway, chains, version, source, baseDir, bindings);
  }

  /**
   * A discovery type with no {@code discovery.<type>} block of its own uses the config store's
   * settings of the same type ({@code config.etcd} serves {@code discovery: {type: etcd}}), when
   * both take the same settings.
   */
  private Map<String, ConfigNode> withStoreSettings(Map<String, ConfigNode> discovery, StoreBinding store, ConfigSettings settings) {
    if (store == null || discovery.containsKey(store.type())) {
      return discovery;
    }
    EndpointSourceFactory<?, ?> source = registry.endpointSource(store.type()).orElse(null);
    if (source == null || source.settingsType() != store.factory().settingsType()) {
      return discovery;
    }
    Map<String, ConfigNode> withStore = new LinkedHashMap<>(discovery);
    withStore.put(store.type(), settings.store(store.type()));
    return withStore;
  }

  /**
   * With a config store, instances registered through the admin API are written to the store,
   * not kept in memory: an upstream following the in-memory registry would stay empty.
   */
  private static void checkLocalRegistry(List<UpstreamConfig> upstreams, Map<String, DiscoveryBinding> bindings,
      String storeType, ConfigProblems problems) {
    for (int i = 0; i < upstreams.size(); i++) {
      UpstreamConfig upstream = upstreams.get(i);
      DiscoveryBinding binding = upstream != null && upstream.name() != null ? bindings.get(upstream.name()) : null;
      if (binding != null && LOCAL_REGISTRY.equals(binding.factory().type())) {
        problems.add(NodePaths.key(NodePaths.key(NodePaths.index("upstreams", i), "discovery"), "type"),
            ConfigSettings.ETCD.equals(storeType)
                ? "with config.etcd, instances registered through the admin API are kept in etcd: use type etcd"
                : "with config." + storeType + ", instances registered through the admin API go to the config store, which does not keep them");
      }
    }
  }

  /** Binds each item of a top-level list; an item that failed to bind is a {@code null} entry. */
  private static <T> List<T> bindEach(ConfigNode.Mapping root, String key, Class<T> type, ConfigProblems problems) {
    ConfigNode node = root.entries().get(key);
    List<T> items = new ArrayList<>();
    if (node == null || node instanceof ConfigNode.Scalar scalar && scalar.value() == null) {
      return items;
    }
    if (!(node instanceof ConfigNode.Sequence sequence)) {
      problems.add(key, "expected a list, got " + ConfigNode.describe(node));
      return items;
    }
    for (int i = 0; i < sequence.items().size(); i++) {
      items.add(RecordBinder.bindBestEffort(sequence.items().get(i), type, NodePaths.index(key, i), problems.list()));
    }
    return items;
  }

  private static ConfigNode.Mapping without(ConfigNode.Mapping mapping, String... keys) {
    Map<String, ConfigNode> entries = new LinkedHashMap<>(mapping.entries());
    Map<String, ConfigNode.Origin> origins = new LinkedHashMap<>(mapping.keyOrigins());
    for (String key : keys) {
      entries.remove(key);
      origins.remove(key);
    }
    return new ConfigNode.Mapping(Collections.unmodifiableMap(entries), Collections.unmodifiableMap(origins), mapping.origin());
  }
}
