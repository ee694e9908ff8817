package io.portico.registry;

import io.vertx.core.Future;

/**
 * Where instances registered through the admin API go: the config store (every replica sees them)
 * or this gateway's memory. A registration lives for its TTL; registering again renews it.
 */
public interface InstanceRegistry {

  /**
   * The outcome of a registration or renewal.
   *
   * @param created whether the instance was not registered before
   * @param revision the store revision it was written at (0 in memory)
   */
  record Registered(boolean created, long revision) {}

  /** {@code etcd} or {@code memory}, for answers. */
  String kind();

  /** Registers or renews; the future may complete on another thread. */
  Future<Registered> register(String service, String instanceId, InstanceRegistration registration);

  /** Deregisters at once; true when it was registered. */
  Future<Boolean> deregister(String service, String instanceId);
}
