package io.portico.config;

/**
 * {@code config:} whether config files are watched, and an optional etcd config source (bound
 * by the etcd module).
 */
public record ConfigSettings(Boolean watch, ConfigNode etcd) {
  public ConfigSettings {
    watch = watch != null ? watch : Boolean.FALSE;
  }
}
