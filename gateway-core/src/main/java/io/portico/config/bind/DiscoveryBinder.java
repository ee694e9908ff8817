package io.portico.config.bind;

import io.portico.config.ConfigNode;
import io.portico.config.DiscoveryBinding;
import io.portico.config.NodePaths;
import io.portico.config.UpstreamConfig;
import io.portico.plugin.PluginRegistry;
import io.portico.spi.EndpointSourceFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds discovery: each top-level {@code discovery.<type>} block to its factory's settings type,
 * and each upstream's {@code discovery: {type: ..., ...}} to that factory's upstream config type,
 * then runs the factory's validation.
 */
public final class DiscoveryBinder {

  private final PluginRegistry registry;
  private final ConfigProblems problems;

  public DiscoveryBinder(PluginRegistry registry, ConfigProblems problems) {
    this.registry = registry;
    this.problems = problems;
  }

  /** The discovery of each upstream that has one, keyed by upstream name. */
  public Map<String, DiscoveryBinding> bind(Map<String, ConfigNode> discovery, List<UpstreamConfig> upstreams) {
    Map<String, Record> settings = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> entry : discovery.entrySet()) {
      String path = NodePaths.key("discovery", entry.getKey());
      EndpointSourceFactory<?, ?> factory = factory(entry.getKey(), path);
      if (factory != null) {
        Record bound = RecordBinder.bind(entry.getValue(), factory.settingsType(), path, problems.list());
        if (bound != null) {
          settings.put(entry.getKey(), bound);
        }
      }
    }
    Map<String, DiscoveryBinding> bindings = new LinkedHashMap<>();
    for (int i = 0; i < upstreams.size(); i++) {
      UpstreamConfig upstream = upstreams.get(i);
      String path = NodePaths.key(NodePaths.index("upstreams", i), "discovery");
      // an upstream that failed to bind still has its discovery checked, from the document
      ConfigNode block = upstream != null ? upstream.discovery() : problems.node(path);
      if (block != null) {
        DiscoveryBinding binding = bindUpstream(block, path, settings);
        if (binding != null && upstream != null && upstream.name() != null) {
          bindings.put(upstream.name(), binding);
        }
      }
    }
    return Collections.unmodifiableMap(bindings);
  }

  @SuppressWarnings("unchecked")
  private DiscoveryBinding bindUpstream(ConfigNode node, String path, Map<String, Record> settings) {
    if (!(node instanceof ConfigNode.Mapping block)) {
      problems.add(path, "expected a mapping with a type, got " + ConfigNode.describe(node));
      return null;
    }
    ConfigNode type = block.entries().get("type");
    if (!(type instanceof ConfigNode.Scalar scalar) || scalar.value() == null) {
      problems.add(NodePaths.key(path, "type"), type == null ? "is required" : "expected a discovery type name");
      return null;
    }
    EndpointSourceFactory<?, ?> factory = factory(scalar.value(), NodePaths.key(path, "type"));
    if (factory == null) {
      return null;
    }
    Map<String, ConfigNode> rest = new LinkedHashMap<>(block.entries());
    Map<String, ConfigNode.Origin> restOrigins = new LinkedHashMap<>(block.keyOrigins());
    rest.remove("type");
    restOrigins.remove("type");
    ConfigNode.Mapping options = new ConfigNode.Mapping(rest, restOrigins, block.origin());
    int before = problems.list().size();
    Record config = RecordBinder.bind(options, factory.upstreamConfigType(), path, problems.list());
    if (config == null || problems.list().size() > before) {
      return null; // the factory's own validate() sees only a config that bound cleanly
    }
    EndpointSourceFactory<?, Record> typed = (EndpointSourceFactory<?, Record>) factory;
    NodeConfigErrors errors = new NodeConfigErrors(options, path, problems.list());
    errors.run(() -> typed.validate(config, errors));
    if (problems.list().size() > before) {
      return null;
    }
    return new DiscoveryBinding(factory, settings.get(scalar.value()), config, problems.origin(path));
  }

  private EndpointSourceFactory<?, ?> factory(String type, String path) {
    EndpointSourceFactory<?, ?> factory = registry.endpointSource(type).orElse(null);
    if (factory == null) {
      String known = registry.endpointSourceTypes().isEmpty()
          ? " (no discovery type is installed)"
          : Suggestions.hint(type, registry.endpointSourceTypes());
      problems.add(path, "unknown discovery type \"" + type + "\"" + known);
    }
    return factory;
  }
}
