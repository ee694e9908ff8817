package io.portico.registry;

import io.portico.spi.ConfigStore;
import io.vertx.core.Future;

/** Registrations written through to the config store, under its time-to-live mechanism (etcd leases). */
public final class StoreRegistry implements InstanceRegistry {
  private final String kind;
  private final ConfigStore store;

  public StoreRegistry(String kind, ConfigStore store) {
    this.kind = kind;
    this.store = store;
  }

  @Override
  public String kind() {
    return kind;
  }

  @Override
  public Future<Registered> register(String service, String instanceId, InstanceRegistration registration) {
    return store.register(service, instanceId, registration.instanceJson(), registration.ttl())
        .map(write -> new Registered(!write.existed(), write.revision()));
  }

  @Override
  public Future<Boolean> deregister(String service, String instanceId) {
    return store.deregister(service, instanceId).map(ConfigStore.Write::existed);
  }
}
