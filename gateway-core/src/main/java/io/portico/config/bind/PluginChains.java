package io.portico.config.bind;

import io.portico.config.ConfigNode;
import io.portico.config.NodePaths;
import io.portico.config.PluginBinding;
import io.portico.config.RouteConfig;
import io.portico.plugin.PluginRegistry;
import io.portico.spi.PluginFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds each route's effective plugins: the global {@code plugins:} merged with the route's own
 * (a route block replaces the global one of that name, {@code name: false} removes it), every
 * block bound strictly to its factory's config type and validated, then sorted by stage,
 * descending priority and name. Plugins whose factory is {@linkplain PluginFactory#enabledByDefault()
 * on by default} count as global with an empty block unless the global {@code plugins:} names them
 * (a global {@code name: false} turns such a plugin off everywhere).
 */
public final class PluginChains {

  private static final Comparator<PluginBinding> ORDER = Comparator.comparing(PluginBinding::factory, PluginRegistry.CHAIN_ORDER);

  private static final ConfigNode.Origin DEFAULT_ORIGIN = new ConfigNode.Origin("(on by default)", 0);

  private final PluginRegistry registry;
  private final ConfigProblems problems;

  public PluginChains(PluginRegistry registry, ConfigProblems problems) {
    this.registry = registry;
    this.problems = problems;
  }

  /** Each named route's sorted plugins, keyed by route name in route order. */
  public Map<String, List<PluginBinding>> build(Map<String, ConfigNode> configuredGlobal, List<RouteConfig> routes) {
    Map<String, ConfigNode> globalPlugins = withDefaults(configuredGlobal);
    Map<String, PluginBinding> global = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> entry : globalPlugins.entrySet()) {
      String path = NodePaths.key("plugins", entry.getKey());
      if (isFalse(entry.getValue())) {
        if (!isOnByDefault(entry.getKey())) {
          problems.add(path, "false only disables a global plugin on a route");
        }
        continue;
      }
      PluginBinding binding = bind(entry.getKey(), entry.getValue(), path);
      if (binding != null) {
        global.put(entry.getKey(), binding);
      }
    }
    Map<String, List<PluginBinding>> chains = new LinkedHashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig route = routes.get(i);
      String routePath = NodePaths.key(NodePaths.index("routes", i), "plugins");
      Map<String, PluginBinding> effective = new LinkedHashMap<>(global);
      for (Map.Entry<String, ConfigNode> entry : routePlugins(route, routePath).entrySet()) {
        String name = entry.getKey();
        String path = NodePaths.key(routePath, name);
        if (isFalse(entry.getValue())) {
          if (!globalPlugins.containsKey(name)) {
            problems.add(path, "no global plugin named \"" + name + "\" to disable");
          }
          effective.remove(name);
          continue;
        }
        PluginBinding binding = bind(name, entry.getValue(), path);
        if (binding != null) {
          effective.put(name, binding);
        } else {
          effective.remove(name);
        }
      }
      List<PluginBinding> chain = new ArrayList<>(effective.values());
      chain.sort(ORDER);
      if (route != null && route.name() != null) {
        chains.put(route.name(), List.copyOf(chain));
      }
    }
    return Collections.unmodifiableMap(chains);
  }

  private Map<String, ConfigNode> withDefaults(Map<String, ConfigNode> configured) {
    Map<String, ConfigNode> all = new LinkedHashMap<>(configured);
    for (PluginFactory<?> factory : registry.all()) {
      if (factory.enabledByDefault()) {
        all.putIfAbsent(factory.name(), new ConfigNode.Mapping(Map.of(), Map.of(), DEFAULT_ORIGIN));
      }
    }
    return all;
  }

  private boolean isOnByDefault(String name) {
    return registry.plugin(name).map(PluginFactory::enabledByDefault).orElse(false);
  }

  // a route that failed to bind still has its plugin blocks checked, from the document
  private Map<String, ConfigNode> routePlugins(RouteConfig route, String path) {
    if (route != null) {
      return route.plugins() != null ? route.plugins() : Map.of();
    }
    return problems.node(path) instanceof ConfigNode.Mapping raw ? raw.entries() : Map.of();
  }

  @SuppressWarnings("unchecked")
  private PluginBinding bind(String name, ConfigNode block, String path) {
    PluginFactory<?> factory = registry.plugin(name).orElse(null);
    if (factory == null) {
      problems.add(path, "unknown plugin \"" + name + "\"" + Suggestions.hint(name, registry.pluginNames())
          + registry.searchedDir().map(dir -> "; drop-in jars were looked for in " + dir).orElse(""));
      return null;
    }
    int before = problems.list().size();
    Record config = RecordBinder.bind(block, factory.configType(), path, problems.list());
    if (config == null || problems.list().size() > before) {
      return null; // the factory's own validate() sees only a config that bound cleanly
    }
    PluginFactory<Record> typed = (PluginFactory<Record>) factory;
    NodeConfigErrors errors = new NodeConfigErrors(block, path, problems.list());
    errors.run(() -> typed.validate(config, errors));
    return problems.list().size() > before ? null : new PluginBinding(factory, config, problems.origin(path));
  }

  private static boolean isFalse(ConfigNode node) {
    return node instanceof ConfigNode.Scalar scalar && !scalar.quoted() && "false".equalsIgnoreCase(scalar.value());
  }
}
