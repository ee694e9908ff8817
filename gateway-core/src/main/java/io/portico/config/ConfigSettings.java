package io.portico.config;

/**
 * {@code config:} whether config files are watched, and at most one live config store laid over
 * the files: {@code etcd} (bound by the discovery-etcd module) or {@code kubernetes} (Gateway API
 * HTTPRoutes, bound by the discovery-kubernetes module).
 */
public record ConfigSettings(Boolean watch, ConfigNode etcd, ConfigNode kubernetes) {
  /** The store types, as their blocks are named under {@code config:}. */
  public static final String ETCD = "etcd";
  public static final String KUBERNETES = "kubernetes";

  public ConfigSettings {
    watch = watch != null ? watch : Boolean.FALSE;
  }

  /** The block of the store of this type ({@code etcd}, {@code kubernetes}), or {@code null}. */
  public ConfigNode store(String type) {
    return switch (type) {
      case ETCD -> etcd;
      case KUBERNETES -> kubernetes;
      default -> null;
    };
  }
}
