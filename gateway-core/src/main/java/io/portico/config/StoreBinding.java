package io.portico.config;

import io.portico.spi.ConfigStore;
import io.portico.spi.ConfigStoreFactory;

/**
 * The config store a config names ({@code config: { etcd: {...} }}): its factory and its bound,
 * validated settings, ready to {@link #open()}.
 */
public record StoreBinding(String type, ConfigStoreFactory<?> factory, Record settings) {

  /** Opens the store; it contacts the backend only when followed or written. */
  @SuppressWarnings("unchecked")
  public ConfigStore open() {
    return ((ConfigStoreFactory<Record>) factory).open(settings);
  }
}
