package io.portico.plugins.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.portico.spi.ConfigStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the config keys under the prefix: reads {@code routes/}, {@code upstreams/} and
 * {@code plugins} at one revision (one read-only transaction), delivers them, then watches the prefix from that revision + 1
 * so no change in between is missed. Each watch response that touches config keys delivers a new
 * complete snapshot; registrations under {@code services/} are ignored.
 *
 * <p>A watch that fails (etcd unreachable) or is cancelled (its revision was compacted) is
 * dropped, and everything is read again after a backoff of 250 ms doubling to 1 s: the gateway
 * keeps its last config meanwhile and catches up from the full read. While cut off, it also makes
 * the clients reconnect every 250 ms ({@link EtcdReconnect}), so a read waiting for the connection
 * goes through within moments of etcd's return instead of after gRPC's growing reconnect backoff.
 * Each read or watch belongs to a generation; callbacks of an abandoned generation are ignored.
 *
 * <p>Reads and watches go through one member at a time ({@link EtcdMembers}). A failure other
 * than a compaction (a watch cancelled for "no leader", a read without answer) moves them to the
 * next member, so a member cut off from the quorum is left at the first retry instead of being
 * asked again; and when the members' probe leaves behind the member this follower watches
 * through, it reads again through the next one.
 */
final class EtcdConfigFollower {
  private static final Logger log = LoggerFactory.getLogger(EtcdConfigFollower.class);
  private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "portico-etcd-config");
    t.setDaemon(true);
    return t;
  });
  private static final long READ_TIMEOUT_SECONDS = 2;
  /** Low, so that etcd's return is caught promptly; a read of an unreachable etcd costs nothing. */
  private static final long MAX_RETRY_MILLIS = 1_000;
  private static final long RECONNECT_EVERY_MILLIS = 250;

  private final EtcdMembers members;
  private final EtcdKeys keys;
  private final Map<String, ConfigStore.Entry> entries = new TreeMap<>();
  private final AtomicLong fullReads = new AtomicLong();
  private final AtomicLong compactions = new AtomicLong();
  private ConfigStore.Listener listener;
  private Watch.Watcher watcher;
  /** The member client of the current read or watch: the one to move away from when it fails. */
  private Client client;
  private ScheduledFuture<?> reconnecting;
  private Runnable stopListening;
  private int generation;
  private long retryMillis = 250;
  private volatile long revision;
  private volatile boolean watching;
  private volatile String lastError;
  private volatile boolean closed;
  /** Runs between a full read and its watch; tests slip writes and a compaction in here. */
  volatile LongFunction<CompletableFuture<Void>> beforeWatch = revision -> CompletableFuture.completedFuture(null);

  EtcdConfigFollower(EtcdMembers members, EtcdKeys keys) {
    this.members = members;
    this.keys = keys;
  }

  synchronized void start(ConfigStore.Listener target) {
    if (listener != null) {
      throw new IllegalStateException("already following");
    }
    listener = target;
    stopListening = members.onLeaving(this::memberLeft);
    read();
  }

  /** The members' probe left a member behind: if this follower's watch is on it, read again elsewhere. */
  private void memberLeft(Client failed, String why) {
    int watchGeneration;
    synchronized (this) {
      if (!watching || failed != client || closed) {
        return;
      }
      watchGeneration = generation;
    }
    retry(watchGeneration, "etcd member left behind: " + why, false);
  }

  private record Read(long revision, List<KeyValue> kvs) {}

  private synchronized void read() {
    if (closed) {
      return;
    }
    int readGeneration = ++generation;
    client = members.current();
    GetOption prefix = GetOption.builder().isPrefix(true).build();
    // one read-only transaction: the three ranges at one revision in a single request (the
    // member clients send every request to one member, but a read must stay one revision)
    client.getKVClient().txn()
        .Then(Op.get(bytes(keys.routes()), prefix), Op.get(bytes(keys.upstreams()), prefix),
            Op.get(bytes(keys.plugins()), GetOption.DEFAULT))
        .commit().thenApply(txn -> {
          List<KeyValue> all = new ArrayList<>();
          for (GetResponse range : txn.getGetResponses()) {
            all.addAll(range.getKvs());
          }
          return new Read(txn.getHeader().getRevision(), all);
        }).orTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((read, failure) -> {
          if (failure != null) {
            retry(readGeneration, "reading " + keys.prefix() + " failed: " + message(failure), true);
          } else {
            delivered(readGeneration, read);
          }
        });
  }

  private void delivered(int readGeneration, Read read) {
    long received = System.nanoTime();
    synchronized (this) {
      if (readGeneration != generation || closed) {
        return;
      }
      entries.clear();
      for (KeyValue kv : read.kvs()) {
        String key = text(kv.getKey());
        entries.put(key, keys.entry(key, text(kv.getValue()), kv.getModRevision()));
      }
      fullReads.incrementAndGet();
      retryMillis = 250;
      lastError = null;
      stopReconnecting();
      publish(read.revision(), received, true);
    }
    beforeWatch.apply(read.revision()).whenComplete((v, e) -> watch(readGeneration, read.revision() + 1));
  }

  private synchronized void watch(int watchGeneration, long fromRevision) {
    if (watchGeneration != generation || closed) {
      return;
    }
    watcher = client.getWatchClient().watch(bytes(keys.prefix()),
        EtcdWatches.prefixFrom(fromRevision),
        Watch.listener(response -> onEvents(watchGeneration, response), error -> onWatchError(watchGeneration, error)));
    watching = true;
  }

  private synchronized void onEvents(int watchGeneration, WatchResponse response) {
    long received = System.nanoTime();
    if (watchGeneration != generation || closed) {
      return;
    }
    long last = 0;
    for (WatchEvent event : response.getEvents()) {
      KeyValue kv = event.getKeyValue();
      String key = text(kv.getKey());
      if (keys.kindOf(key) == null) {
        continue;
      }
      if (event.getEventType() == WatchEvent.EventType.PUT) {
        entries.put(key, keys.entry(key, text(kv.getValue()), kv.getModRevision()));
      } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
        entries.remove(key);
      }
      last = kv.getModRevision();
    }
    if (last > 0) {
      publish(last, received, false);
    }
  }

  private void onWatchError(int watchGeneration, Throwable error) {
    boolean compacted = error instanceof CompactedException;
    if (compacted) {
      compactions.incrementAndGet();
    }
    String why = compacted
        ? "watch cancelled: revision compacted (oldest kept " + ((CompactedException) error).getCompactedRevision() + "); reading everything again"
        : "watch failed: " + message(error);
    // jetcd calls this holding its watch lock, which closing a watcher takes too: leave its thread first
    RETRY.execute(() -> retry(watchGeneration, why, !compacted));
  }

  /**
   * Drops the current read or watch and reads everything again later, through the next member
   * if {@code memberFailed}; the last snapshot keeps serving.
   */
  private void retry(int failedGeneration, String why, boolean memberFailed) {
    long delay;
    ConfigStore.Listener target;
    synchronized (this) {
      if (failedGeneration != generation || closed) {
        return;
      }
      if (memberFailed) {
        members.moveOn(client, why);
      }
      generation++;
      stopWatching();
      lastError = why;
      delay = retryMillis;
      retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
      target = listener;
      if (reconnecting == null) {
        reconnecting = RETRY.scheduleWithFixedDelay(() -> members.built().forEach(EtcdReconnect::now), 0, RECONNECT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
      }
    }
    log.warn("etcd config {}: {}; reading again in {} ms", keys.prefix(), why, delay);
    target.onUnavailable(why);
    RETRY.schedule(this::read, delay, TimeUnit.MILLISECONDS);
  }

  /** Reads everything again now, as after a reconnect (for tests and operators). */
  synchronized void resync() {
    if (closed) {
      return;
    }
    generation++;
    stopWatching();
    read();
  }

  private void publish(long atRevision, long receivedNanos, boolean fullRead) {
    revision = atRevision;
    listener.onSnapshot(new ConfigStore.Snapshot(atRevision, new ArrayList<>(entries.values()), receivedNanos, fullRead));
  }

  private void stopReconnecting() {
    if (reconnecting != null) {
      reconnecting.cancel(false);
      reconnecting = null;
    }
  }

  private void stopWatching() {
    watching = false;
    if (watcher != null) {
      Watch.Watcher w = watcher;
      watcher = null;
      w.close();
    }
  }

  Map<String, Object> status() {
    Map<String, Object> status = new TreeMap<>();
    status.put("revision", revision);
    status.put("watching", watching);
    status.put("full_reads", fullReads.get());
    status.put("compacted_watches", compactions.get());
    if (lastError != null) {
      status.put("last_error", lastError);
    }
    return status;
  }

  synchronized void close() {
    closed = true;
    if (stopListening != null) {
      stopListening.run();
    }
    stopWatching();
    stopReconnecting();
  }

  private static String message(Throwable failure) {
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    return cause instanceof java.util.concurrent.TimeoutException ? "no answer within " + READ_TIMEOUT_SECONDS + "s" : String.valueOf(cause.getMessage());
  }

  static ByteSequence bytes(String text) {
    return ByteSequence.from(text, StandardCharsets.UTF_8);
  }

  private static String text(ByteSequence bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
