package io.portico.plugins.etcd;

import io.etcd.jetcd.Client;
import io.portico.spi.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * etcd as the config store: {@code <prefix>routes/<name>}, {@code <prefix>upstreams/<name>} and
 * {@code <prefix>plugins} hold the JSON of a route, an upstream and the global plugins;
 * registrations through the gateway go to {@code <prefix>services/<service>/<id>} under a lease.
 */
final class EtcdConfigStore implements ConfigStore {
  private final EtcdSettings settings;
  private final EtcdKeys keys;
  private final EtcdConfigFollower follower;
  private final EtcdConfigWriter writer;
  private final EtcdLeases leases;

  EtcdConfigStore(Client client, EtcdMembers members, EtcdSettings settings) {
    this.settings = settings;
    this.keys = new EtcdKeys(settings.prefix());
    this.follower = new EtcdConfigFollower(members, keys);
    this.writer = new EtcdConfigWriter(members, keys);
    this.leases = new EtcdLeases(client, keys);
  }

  @Override
  public void follow(Listener listener) {
    follower.start(listener);
  }

  @Override
  public String key(Kind kind, String name) {
    return keys.key(kind, name);
  }

  @Override
  public Future<Write> put(Kind kind, String name, String json, long expectedModRevision) {
    return vertx(writer.put(kind, name, json, expectedModRevision));
  }

  @Override
  public Future<Write> delete(Kind kind, String name, long expectedModRevision) {
    return vertx(writer.delete(kind, name, expectedModRevision));
  }

  @Override
  public Future<Write> register(String service, String instanceId, String instanceJson, Duration ttl) {
    return vertx(leases.register(service, instanceId, instanceJson, ttl));
  }

  @Override
  public Future<Write> deregister(String service, String instanceId) {
    return vertx(leases.deregister(service, instanceId));
  }

  @Override
  public String describe() {
    return "etcd " + String.join(",", settings.endpoints()) + " " + settings.prefix();
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("prefix", settings.prefix());
    status.putAll(follower.status());
    return status;
  }

  /** The follower, for tests that interfere with its reads and watches. */
  EtcdConfigFollower follower() {
    return follower;
  }

  @Override
  public Future<Void> close() {
    follower.close(); // the jetcd clients are shared by this JVM's gateways and stay open
    return Future.succeededFuture();
  }

  /** A Vert.x future of a jetcd one, with the cause of a failure unwrapped. */
  private static <T> Future<T> vertx(CompletableFuture<T> future) {
    Promise<T> promise = Promise.promise();
    future.whenComplete((value, failure) -> {
      if (failure == null) {
        promise.complete(value);
      } else {
        promise.fail(failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
      }
    });
    return promise.future();
  }
}
