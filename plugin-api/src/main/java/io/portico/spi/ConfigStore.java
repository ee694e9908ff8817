package io.portico.spi;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One gateway's connection to a live config store (see {@link ConfigStoreFactory}). It holds
 * entries of three kinds, each value the JSON form of the same object a config file holds: a
 * route, an upstream, or the map of global plugins. It also keeps service instances registered
 * through the gateway alive under a time to live.
 *
 * <p>Thread-safe. Every method may be called from any thread; futures and listener calls complete
 * on the store's own threads, never on an event loop the gateway owns: callers hop back to their
 * context before touching their state.
 *
 * @since 1.2
 */
public interface ConfigStore {

  /** What an entry holds. */
  enum Kind {
    /** A route, named by its key. */
    ROUTE,
    /** An upstream, named by its key. */
    UPSTREAM,
    /** The global plugins: a JSON object keyed by plugin name (one entry, named {@code plugins}). */
    PLUGINS
  }

  /**
   * One entry as stored.
   *
   * @param kind what it holds
   * @param name the route or upstream name ({@code plugins} for the global plugins)
   * @param key where it is stored, for messages ({@code /portico/routes/users})
   * @param value the stored text, not yet parsed: it may be anything
   * @param modRevision the store revision of its last change
   */
  record Entry(Kind kind, String name, String key, String value, long modRevision) {
    public Entry {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * Every config entry at one revision: what the gateway should run on top of its files.
   *
   * @param revision everything written up to this store revision is included
   * @param entries every route, upstream and plugins entry, in key order
   * @param receivedNanos {@link System#nanoTime()} when the change arrived at this gateway (the
   *     start of the propagation the gateway measures)
   * @param fullRead whether it comes from reading everything (start, reconnect, compaction)
   *     rather than from a watched change
   */
  record Snapshot(long revision, List<Entry> entries, long receivedNanos, boolean fullRead) {
    public Snapshot {
      entries = List.copyOf(entries);
    }
  }

  /** Receives the store's snapshots; called from the store's threads, one call at a time. */
  interface Listener {
    /** A complete new snapshot: after the first full read and after every change. */
    void onSnapshot(Snapshot snapshot);

    /**
     * The store became unreachable (or its watch was cancelled); it reconnects by itself and
     * delivers a full snapshot when back. The gateway keeps its last config meanwhile.
     */
    default void onUnavailable(String reason) {}
  }

  /**
   * The outcome of a write.
   *
   * @param key where it was written
   * @param revision the store revision of the write (for a renewal that changed nothing, the
   *     store's revision at the time)
   * @param existed whether the key existed before the write
   */
  record Write(String key, long revision, boolean existed) {}

  /**
   * A conditional write found the entry changed since the revision the caller validated against.
   */
  final class StaleWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StaleWriteException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Starts following: reads everything, delivers it, then watches from that read's revision + 1
   * so no change in between is missed. On a lost connection or a cancelled watch (compaction) it
   * reads everything again with backoff. Call once.
   */
  void follow(Listener listener);

  /** Where an entry of this kind and name is (or would be) stored: {@code /portico/routes/users}. */
  String key(Kind kind, String name);

  /**
   * Writes an entry if it is still at {@code expectedModRevision} ({@code 0}: it must not exist;
   * negative: unconditionally). Fails with {@link StaleWriteException} when it changed.
   */
  Future<Write> put(Kind kind, String name, String json, long expectedModRevision);

  /**
   * Deletes an entry if it is still at {@code expectedModRevision} (negative: unconditionally);
   * fails with {@link StaleWriteException} when it changed.
   */
  Future<Write> delete(Kind kind, String name, long expectedModRevision);

  /**
   * Registers (or renews) a service instance under a time to live: every replica's discovery sees
   * it until it expires or is deregistered. A renewal of an unchanged registration must not
   * produce a change that replicas watch.
   *
   * @param instanceJson {@code {"address":"10.0.0.7:8080","weight":1,"zone":null,"metadata":{}}}
   */
  Future<Write> register(String service, String instanceId, String instanceJson, Duration ttl);

  /** Removes a registration at once ({@link Write#existed()} tells whether there was one). */
  Future<Write> deregister(String service, String instanceId);

  /**
   * Whether the store only follows config written elsewhere (Kubernetes HTTPRoutes, say): the admin
   * API then refuses route and upstream writes at once, and {@link #put}, {@link #delete},
   * {@link #register} and {@link #deregister} fail with {@link UnsupportedOperationException}.
   *
   * @since 1.3
   */
  default boolean readOnly() {
    return false;
  }

  /** Where the store is, for messages: {@code etcd http://10.0.0.5:2379 /portico/}. */
  String describe();

  /**
   * The store's own state for {@code /admin/config}: connection, revision, reads; cheap and
   * thread-safe.
   */
  default Map<String, Object> status() {
    return Map.of();
  }

  /** Stops following and releases what {@link #follow} started. */
  Future<Void> close();
}
