package io.portico.config;

import io.portico.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Loads a whole config and validates it before anything uses it: binds {@link GatewayConfig}
 * strictly, checks names, references, matches, balancers, retries, ports and proxies, binds each
 * discovery and plugin block to its factory's record and runs the factory's validation, and
 * builds each route's ordered plugin list. Every error found is reported at once, each with file,
 * line and path.
 *
 * <p>Thread-safe. {@link #load(Path)} reads files: call it off the event loops (at start-up, or in
 * {@code executeBlocking}).
 */
public final class ConfigLoader {

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

  private static ConfigDocuments read(Path fileOrDir) throws ConfigException {
    return ConfigFileReader.read(fileOrDir);
  }

  /** Validates documents already read from {@code fileOrDir}. */
  ValidatedConfig load(ConfigDocuments documents, Path fileOrDir) throws ConfigException {
    Path absolute = fileOrDir.toAbsolutePath().normalize();
    Path baseDir = Files.isDirectory(absolute) ? absolute : absolute.getParent();
    return validate(documents.root(), documents.version(), "file:" + fileOrDir, baseDir);
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
    if (base != null) {
      new GatewayChecks(problems).check(base);
    }
    new RouteChecks(problems, new UpstreamChecks(problems).check(upstreams)).check(routes);
    Map<String, DiscoveryBinding> bindings = new DiscoveryBinder(registry, problems).bind(discovery, upstreams);
    Map<String, List<PluginBinding>> chains = new PluginChains(registry, problems).build(globalPlugins, routes);
    if (!problems.isEmpty() || base == null) {
      throw problems.exception();
    }
    GatewayConfig gateway = new GatewayConfig(base.listen(), base.admin(), base.config(), base.discovery(),
        base.trustedProxies(), base.pluginsDir(), base.limits(), base.drainTimeout(),
        List.copyOf(upstreams), List.copyOf(routes), base.plugins());
    return new ValidatedConfig(gateway, chains, version, source, baseDir, bindings);
  }

  /** Binds each item of a top-level list; an item that failed to bind is a {@code null} entry. */
  private static <T> List<T> bindEach(ConfigNode.Mapping root, String key, Class<T> type, ConfigProblems problems) {
    ConfigNode node = root.entries().get(key);
    List<T> items = new ArrayList<>();
    if (node == null || node instanceof ConfigNode.Scalar scalar && scalar.value() == null) {
      return items;
    }
    if (!(node instanceof ConfigNode.Sequence sequence)) {
      problems.add(key, "expected a list, got " + ValueBinder.describe(node));
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
