package io.portico.plugins.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.portico.spi.Endpoint;
import io.portico.spi.EndpointSnapshot;
import io.portico.spi.EndpointSource;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered instances of one service: reads {@code <prefix>services/<service>/}, then watches
 * from that read's revision + 1, so no change between read and watch is missed. When etcd is
 * unreachable, or the watch is cancelled (for example by compaction), it reads everything again
 * with backoff (250 ms doubling to 1 s), making the clients reconnect before each read; the last
 * snapshot keeps serving meanwhile. Reads and watches go through one member at a time
 * ({@link EtcdMembers}); a failure other than a compaction (a watch cancelled for "no leader", a
 * read without answer) moves them to the next member; when the members' probe leaves behind the
 * member this source watches through, it reads again through the next one.
 */
final class EtcdEndpointSource implements EndpointSource {
  private static final Logger log = LoggerFactory.getLogger(EtcdEndpointSource.class);
  private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "portico-etcd-discovery");
    t.setDaemon(true);
    return t;
  });

  private final EtcdMembers members;
  private final String prefix;
  private final Map<String, Endpoint> instances = new LinkedHashMap<>();
  private Consumer<EndpointSnapshot> listener;
  private Runnable stopListening;
  private Watch.Watcher watcher;
  /** The member client of the current read or watch: the one to move away from when it fails. */
  private Client client;
  /** Each read and its watch; a failure reported for an older one (already retried) is ignored. */
  private int generation;
  private long retryMillis = 250;
  private volatile boolean closed;

  EtcdEndpointSource(EtcdMembers members, String prefix) {
    this.members = members;
    this.prefix = prefix;
  }

  @Override
  public synchronized void start(Consumer<EndpointSnapshot> listener) {
    this.listener = listener;
    stopListening = members.onLeaving(this::memberLeft);
    load();
  }

  /** The members' probe left a member behind: if the watch is on it, read again elsewhere. */
  private synchronized void memberLeft(Client failed, String why) {
    if (watcher != null && failed == client) {
      retry(generation, "etcd member left behind: " + why, false);
    }
  }

  private synchronized void load() {
    if (closed) {
      return;
    }
    int loadGeneration = ++generation;
    client = members.current();
    ByteSequence key = EtcdClients.bytes(prefix);
    // the client waits for a connection: bounded, so that retries (and their reconnects) go on
    client.getKVClient().get(key, GetOption.builder().isPrefix(true).build()).orTimeout(2, TimeUnit.SECONDS).whenComplete((response, failure) -> {
      if (failure != null) {
        retry(loadGeneration, "reading " + prefix + " failed: " + failure.getMessage(), true);
        return;
      }
      synchronized (this) {
        if (loadGeneration != generation || closed) {
          return;
        }
        instances.clear();
        for (KeyValue kv : response.getKvs()) {
          put(kv);
        }
        long revision = response.getHeader().getRevision();
        publish(revision);
        retryMillis = 250;
        watch(loadGeneration, revision + 1);
      }
    });
  }

  private void watch(int watchGeneration, long fromRevision) {
    if (watcher != null) {
      watcher.close();
    }
    watcher = client.getWatchClient().watch(EtcdClients.bytes(prefix),
        EtcdWatches.prefixFrom(fromRevision),
        // jetcd reports the error holding its watch lock, which closing a watcher takes too: leave its thread first
        Watch.listener(this::onEvents, error -> RETRY.execute(() -> retry(watchGeneration, "watch on " + prefix + " ended: " + error.getMessage(),
            !(error instanceof CompactedException)))));
  }

  private synchronized void onEvents(WatchResponse response) {
    for (WatchEvent event : response.getEvents()) {
      if (event.getEventType() == WatchEvent.EventType.DELETE) {
        instances.remove(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
      } else if (event.getEventType() == WatchEvent.EventType.PUT) {
        put(event.getKeyValue());
      }
    }
    if (!response.getEvents().isEmpty()) {
      publish(response.getEvents().get(response.getEvents().size() - 1).getKeyValue().getModRevision());
    }
  }

  private void put(KeyValue kv) {
    String key = kv.getKey().toString(StandardCharsets.UTF_8);
    try {
      instances.put(key, Instance.parse(kv.getValue().toString(StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      instances.remove(key);
      log.warn("skipping {}: not a valid instance ({})", key, e.getMessage());
    }
  }

  private void publish(long revision) {
    listener.accept(new EndpointSnapshot(new ArrayList<>(instances.values()), Long.toString(revision)));
  }

  /**
   * Read everything again later, through the next member if {@code memberFailed}; what was
   * published keeps serving meanwhile.
   */
  private synchronized void retry(int failedGeneration, String why, boolean memberFailed) {
    if (closed || failedGeneration != generation) {
      return; // closed, or this read or watch was already given up and another one started
    }
    generation++;
    if (watcher != null) {
      watcher.close();
      watcher = null;
    }
    if (memberFailed) {
      members.moveOn(client, why);
    }
    log.warn("etcd discovery: {}; reading again in {} ms", why, retryMillis);
    RETRY.schedule(() -> {
      members.built().forEach(EtcdReconnect::now); // rather than wait out gRPC's growing reconnect backoff
      load();
    }, retryMillis, TimeUnit.MILLISECONDS);
    retryMillis = Math.min(1_000, retryMillis * 2);
  }

  @Override
  public synchronized Future<Void> close() {
    closed = true;
    if (stopListening != null) {
      stopListening.run();
    }
    if (watcher != null) {
      watcher.close();
    }
    return Future.succeededFuture();
  }
}
