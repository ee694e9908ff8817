package io.portico.config;

import io.portico.plugin.PluginRegistry;
import io.portico.spi.ConfigStoreFactory;

/**
 * Binds {@code config.etcd} to the settings type of the config store of that type and runs the
 * store's validation. A config naming a store that no installed module provides is an error.
 */
final class StoreBinder {

  /** The one store type the {@code config:} block has a key for. */
  static final String ETCD = "etcd";

  private final PluginRegistry registry;
  private final ConfigProblems problems;

  StoreBinder(PluginRegistry registry, ConfigProblems problems) {
    this.registry = registry;
    this.problems = problems;
  }

  /** The binding of {@code settings.etcd}, or {@code null} when there is none or it is invalid. */
  @SuppressWarnings("unchecked")
  StoreBinding bind(ConfigSettings settings) {
    if (settings == null || settings.etcd() == null || ValueBinder.isNull(settings.etcd())) {
      return null;
    }
    String path = NodePaths.key("config", ETCD);
    ConfigStoreFactory<?> factory = registry.configStore(ETCD).orElse(null);
    if (factory == null) {
      problems.add(path, "no config store of type etcd is installed (the discovery-etcd module provides it)");
      return null;
    }
    int before = problems.list().size();
    Record bound = RecordBinder.bind(settings.etcd(), factory.settingsType(), path, problems.list());
    if (bound == null) {
      return null;
    }
    NodeConfigErrors errors = new NodeConfigErrors(settings.etcd(), path, problems.list());
    errors.run(() -> ((ConfigStoreFactory<Record>) factory).validate(bound, errors));
    return problems.list().size() > before ? null : new StoreBinding(ETCD, factory, bound);
  }
}
