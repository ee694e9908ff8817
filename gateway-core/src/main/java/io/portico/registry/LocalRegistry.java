package io.portico.registry;

import io.portico.spi.Endpoint;
import io.portico.spi.EndpointSnapshot;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances registered through one gateway's admin API when there is no config store: kept in
 * this gateway's memory, each until its TTL passes without a renewal. Upstreams follow a service
 * with {@code discovery: { type: registry, service: users }} ({@link LocalRegistryDiscovery}).
 * Another replica knows nothing of them: with several replicas, configure etcd.
 *
 * <p>Thread-safe. Expiry is checked every {@value #SWEEP_MILLIS} ms on a shared daemon thread,
 * which is also where followers learn of expiries.
 */
public final class LocalRegistry implements InstanceRegistry {
  private static final Logger log = LoggerFactory.getLogger(LocalRegistry.class);
  static final long SWEEP_MILLIS = 200;
  private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "portico-registry-expiry");
    t.setDaemon(true);
    return t;
  });

  private record Live(Endpoint endpoint, long expiresAtNanos) {}

  private final Map<String, Map<String, Live>> services = new HashMap<>();
  private final Map<String, List<Consumer<EndpointSnapshot>>> followers = new HashMap<>();
  private long version;
  private ScheduledFuture<?> sweep;

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public synchronized Future<Registered> register(String service, String instanceId, InstanceRegistration registration) {
    Map<String, Live> instances = services.computeIfAbsent(service, s -> new TreeMap<>());
    Endpoint endpoint = registration.endpoint();
    Live before = instances.put(instanceId, new Live(endpoint, System.nanoTime() + registration.ttl().toNanos()));
    if (before == null || !before.endpoint().equals(endpoint)) {
      log.info("registered {}/{} at {} (ttl {}s, in memory)", service, instanceId, endpoint.address(), registration.ttl().toSeconds());
      publish(service);
    }
    if (sweep == null) {
      sweep = SWEEPER.scheduleWithFixedDelay(this::expire, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }
    return Future.succeededFuture(new Registered(before == null, 0));
  }

  @Override
  public synchronized Future<Boolean> deregister(String service, String instanceId) {
    Map<String, Live> instances = services.get(service);
    boolean removed = instances != null && instances.remove(instanceId) != null;
    if (removed) {
      log.info("deregistered {}/{}", service, instanceId);
      publish(service);
    }
    return Future.succeededFuture(removed);
  }

  /**
   * Follows a service: {@code listener} gets its instances now and after every change.
   *
   * @return stops following
   */
  synchronized Runnable follow(String service, Consumer<EndpointSnapshot> listener) {
    followers.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(listener);
    listener.accept(snapshot(service));
    return () -> unfollow(service, listener);
  }

  private synchronized void unfollow(String service, Consumer<EndpointSnapshot> listener) {
    List<Consumer<EndpointSnapshot>> list = followers.get(service);
    if (list != null) {
      list.remove(listener);
    }
  }

  /** Stops expiring (the gateway stopped). */
  public synchronized void close() {
    if (sweep != null) {
      sweep.cancel(false);
      sweep = null;
    }
  }

  private synchronized void expire() {
    long now = System.nanoTime();
    services.forEach((service, instances) -> {
      boolean changed = false;
      for (Iterator<Map.Entry<String, Live>> it = instances.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Live> entry = it.next();
        if (now - entry.getValue().expiresAtNanos() > 0) {
          log.info("registration {}/{} expired: no heartbeat within its ttl", service, entry.getKey());
          it.remove();
          changed = true;
        }
      }
      if (changed) {
        publish(service);
      }
    });
  }

  private void publish(String service) {
    version++;
    EndpointSnapshot snapshot = snapshot(service);
    for (Consumer<EndpointSnapshot> listener : followers.getOrDefault(service, List.of())) {
      try {
        listener.accept(snapshot);
      } catch (RuntimeException e) {
        log.warn("registry follower of {} failed", service, e);
      }
    }
  }

  private EndpointSnapshot snapshot(String service) {
    List<Endpoint> endpoints = new ArrayList<>();
    services.getOrDefault(service, Map.of()).values().forEach(live -> endpoints.add(live.endpoint()));
    return new EndpointSnapshot(endpoints, "memory-" + version);
  }
}
