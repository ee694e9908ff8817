package io.portico.plugins.etcd;

import io.portico.spi.ConfigStore;

/**
 * The key layout under the prefix: {@code routes/<name>}, {@code upstreams/<name>},
 * {@code plugins} (the config) and {@code services/<service>/<instance>} (the registry).
 */
final class EtcdKeys {
  private final String prefix;

  EtcdKeys(String prefix) {
    this.prefix = prefix;
  }

  String prefix() {
    return prefix;
  }

  String routes() {
    return prefix + "routes/";
  }

  String upstreams() {
    return prefix + "upstreams/";
  }

  String plugins() {
    return prefix + "plugins";
  }

  String instance(String service, String id) {
    return prefix + "services/" + service + "/" + id;
  }

  String key(ConfigStore.Kind kind, String name) {
    return switch (kind) {
      case ROUTE -> routes() + name;
      case UPSTREAM -> upstreams() + name;
      case PLUGINS -> plugins();
    };
  }

  /** The config kind a key holds, or {@code null} for keys that are not config (registrations). */
  ConfigStore.Kind kindOf(String key) {
    if (key.startsWith(routes()) && key.length() > routes().length()) {
      return ConfigStore.Kind.ROUTE;
    }
    if (key.startsWith(upstreams()) && key.length() > upstreams().length()) {
      return ConfigStore.Kind.UPSTREAM;
    }
    return key.equals(plugins()) ? ConfigStore.Kind.PLUGINS : null;
  }

  /** The entry a config key and value make (the kind must be {@link #kindOf known}). */
  ConfigStore.Entry entry(String key, String value, long modRevision) {
    ConfigStore.Kind kind = kindOf(key);
    String name = switch (kind) {
      case ROUTE -> key.substring(routes().length());
      case UPSTREAM -> key.substring(upstreams().length());
      case PLUGINS -> "plugins";
    };
    return new ConfigStore.Entry(kind, name, key, value, modRevision);
  }
}
