package io.portico.config.bind;

import io.portico.config.ConfigNode;
import io.portico.config.ConfigSettings;
import io.portico.config.NodePaths;
import io.portico.config.StoreBinding;
import io.portico.plugin.PluginRegistry;
import io.portico.spi.ConfigStoreFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds the {@code config.<type>} block of the one config store a config names ({@code etcd} or
 * {@code kubernetes}) to the settings type of the store of that type and runs the store's
 * validation. A config naming a store that no installed module provides, or naming two stores, is
 * an error.
 */
public final class StoreBinder {


  /** The store types the {@code config:} block has a key for, and the module providing each. */
  private static final List<String> TYPES = List.of(ConfigSettings.ETCD, ConfigSettings.KUBERNETES);

  private final PluginRegistry registry;
  private final ConfigProblems problems;

  public StoreBinder(PluginRegistry registry, ConfigProblems problems) {
    this.registry = registry;
    this.problems = problems;
  }

  /** The binding of the store block, or {@code null} when there is none or it is invalid. */
  @SuppressWarnings("unchecked")
  public StoreBinding bind(ConfigSettings settings) {
    if (settings == null) {
      return null;
    }
    List<String> given = new ArrayList<>();
    for (String type : TYPES) {
      ConfigNode node = settings.store(type);
      if (node != null && !ValueBinder.isNull(node)) {
        given.add(type);
      }
    }
    if (given.isEmpty()) {
      return null;
    }
    if (given.size() > 1) {
      problems.add(NodePaths.key("config", given.get(1)),
          "config." + given.get(0) + " and config." + given.get(1) + " are mutually exclusive: give one config store");
      return null;
    }
    String type = given.get(0);
    ConfigNode node = settings.store(type);
    String path = NodePaths.key("config", type);
    ConfigStoreFactory<?> factory = registry.configStore(type).orElse(null);
    if (factory == null) {
      problems.add(path, "no config store of type " + type + " is installed (the discovery-" + type + " module provides it)");
      return null;
    }
    int before = problems.list().size();
    Record bound = RecordBinder.bind(node, factory.settingsType(), path, problems.list());
    if (bound == null || problems.list().size() > before) {
      return null; // the factory's own validate() sees only a config that bound cleanly
    }
    NodeConfigErrors errors = new NodeConfigErrors(node, path, problems.list());
    errors.run(() -> ((ConfigStoreFactory<Record>) factory).validate(bound, errors));
    return problems.list().size() > before ? null : new StoreBinding(type, factory, bound);
  }
}
