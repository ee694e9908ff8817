package io.portico.plugins.etcd;

import static io.portico.plugins.etcd.EtcdConfigFollower.bytes;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.portico.spi.ConfigStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registrations made through the gateway's admin API, each under its own etcd lease. A heartbeat
 * (the same registration again) only refreshes the lease, so replicas watching the service see
 * no change; a new or changed registration, a different TTL, or a lease that already expired
 * takes a new lease and a put. The lease is found from the key itself, so a heartbeat may reach
 * any gateway replica.
 */
final class EtcdLeases {
  private static final Logger log = LoggerFactory.getLogger(EtcdLeases.class);
  private static final long TIMEOUT_SECONDS = 5;

  private final Client client;
  private final EtcdKeys keys;

  EtcdLeases(Client client, EtcdKeys keys) {
    this.client = client;
    this.keys = keys;
  }

  CompletableFuture<ConfigStore.Write> register(String service, String id, String json, Duration ttl) {
    String key = keys.instance(service, id);
    ByteSequence k = bytes(key);
    long seconds = Math.max(1, ttl.toSeconds());
    return client.getKVClient().get(k).thenCompose(found -> {
      KeyValue current = found.getKvs().isEmpty() ? null : found.getKvs().get(0);
      long revision = found.getHeader().getRevision();
      if (current == null || current.getLease() == 0 || !json.equals(current.getValue().toString(StandardCharsets.UTF_8))) {
        return grantAndPut(key, k, json, seconds, current);
      }
      return client.getLeaseClient().keepAliveOnce(current.getLease())
          .thenCompose(alive -> alive.getTTL() == seconds
              ? CompletableFuture.completedFuture(new ConfigStore.Write(key, revision, true))
              : grantAndPut(key, k, json, seconds, current))
          .exceptionallyCompose(expired -> grantAndPut(key, k, json, seconds, current));
    }).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private CompletableFuture<ConfigStore.Write> grantAndPut(String key, ByteSequence k, String json, long seconds, KeyValue previous) {
    return client.getLeaseClient().grant(seconds).thenCompose(grant ->
        client.getKVClient().put(k, bytes(json), PutOption.builder().withLeaseId(grant.getID()).build()).thenApply(put -> {
          if (previous != null && previous.getLease() != 0 && previous.getLease() != grant.getID()) {
            client.getLeaseClient().revoke(previous.getLease()); // holds nothing now; let it go at once
          }
          log.info("registered {} (lease {}, ttl {}s)", key, Long.toHexString(grant.getID()), seconds);
          return new ConfigStore.Write(key, put.getHeader().getRevision(), previous != null);
        }));
  }

  CompletableFuture<ConfigStore.Write> deregister(String service, String id) {
    String key = keys.instance(service, id);
    ByteSequence k = bytes(key);
    return client.getKVClient().get(k).thenCompose(found -> {
      if (found.getKvs().isEmpty()) {
        return CompletableFuture.completedFuture(new ConfigStore.Write(key, found.getHeader().getRevision(), false));
      }
      long lease = found.getKvs().get(0).getLease();
      if (lease != 0) {
        return client.getLeaseClient().revoke(lease).thenApply(r -> new ConfigStore.Write(key, r.getHeader().getRevision(), true));
      }
      return client.getKVClient().delete(k).thenApply(d -> new ConfigStore.Write(key, d.getHeader().getRevision(), true));
    }).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }
}
