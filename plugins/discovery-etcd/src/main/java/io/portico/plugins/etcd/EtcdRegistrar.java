package io.portico.plugins.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.support.CloseableClient;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a service instance in etcd under a lease and keeps the lease alive; the gateway routes
 * to it while it lives. When the instance stops (or stops heartbeating), the key expires with the
 * lease and the instance leaves rotation. For Java services:
 *
 * <pre>{@code
 * try (var registration = EtcdRegistrar.connect(List.of("http://etcd:2379"), "/portico/")
 *         .register("users", "users-1", "10.0.0.7:8080", 1, Duration.ofSeconds(10))) {
 *   ... serve ...
 * }  // deregisters at once
 * }</pre>
 */
public final class EtcdRegistrar {
  private static final Logger log = LoggerFactory.getLogger(EtcdRegistrar.class);
  private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "portico-etcd-registrar");
    t.setDaemon(true);
    return t;
  });

  private final Client client;
  private final EtcdSettings settings;

  private EtcdRegistrar(Client client, EtcdSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  public static EtcdRegistrar connect(List<String> endpoints, String prefix) {
    EtcdSettings settings = new EtcdSettings(endpoints, prefix);
    return new EtcdRegistrar(EtcdClients.of(settings.endpoints()), settings);
  }

  /** Registers an instance and keeps it registered (re-registering after etcd outages) until closed. */
  public Registration register(String service, String instanceId, String address, int weight, Duration ttl) {
    String key = settings.servicePrefix(service) + instanceId;
    Registration registration = new Registration(key, Instance.json(address, weight, null, Map.of()), ttl);
    registration.establish().join();
    return registration;
  }

  /** One live registration; {@link #close()} revokes it at once. */
  public final class Registration implements AutoCloseable {
    private final String key;
    private final String value;
    private final Duration ttl;
    private volatile long leaseId;
    private volatile CloseableClient keepAlive;
    private volatile boolean closed;

    private Registration(String key, String value, Duration ttl) {
      this.key = key;
      this.value = value;
      this.ttl = ttl;
    }

    CompletableFuture<Void> establish() {
      return client.getLeaseClient().grant(Math.max(1, ttl.toSeconds())).thenCompose(grant -> {
        leaseId = grant.getID();
        return client.getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value),
            PutOption.builder().withLeaseId(leaseId).build());
      }).thenRun(() -> {
        keepAlive = client.getLeaseClient().keepAlive(leaseId, new StreamObserver<>() {
          @Override
          public void onNext(LeaseKeepAliveResponse response) {}

          @Override
          public void onError(Throwable t) {
            reestablish("keep-alive failed: " + t.getMessage());
          }

          @Override
          public void onCompleted() {
            reestablish("lease expired");
          }
        });
        log.info("registered {} (lease {}, ttl {}s)", key, Long.toHexString(leaseId), ttl.toSeconds());
      });
    }

    private void reestablish(String why) {
      if (closed) {
        return;
      }
      log.warn("registration {}: {}; registering again", key, why);
      RETRY.schedule(() -> establish().exceptionally(e -> {
        reestablish(e.getMessage());
        return null;
      }), 1, TimeUnit.SECONDS);
    }

    public String key() {
      return key;
    }

    /** Stops heartbeating without revoking: the key expires after its TTL (a crashed instance). */
    public void abandon() {
      closed = true;
      CloseableClient k = keepAlive;
      if (k != null) {
        k.close();
      }
    }

    /** Deregisters at once. */
    @Override
    public void close() {
      abandon();
      try {
        client.getLeaseClient().revoke(leaseId).get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("revoking {} failed ({}); it expires after its TTL", key, e.getMessage());
      }
    }
  }
}
