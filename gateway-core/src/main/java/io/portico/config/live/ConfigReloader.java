package io.portico.config.live;

import io.portico.server.Gateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.portico.config.ConfigDocuments;
import io.portico.config.ConfigException;
import io.portico.config.load.ConfigLoader;
import io.portico.config.source.StoreOverlay;
import io.portico.config.ValidatedConfig;
import io.portico.server.EventLoopContexts;
import io.portico.spi.ConfigStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the config again when its inputs change and hands a valid result to the gateway. The
 * inputs are the config files (read again on request or when they change) and, when the config
 * names a store, the store's latest snapshot laid over them. A rejected config leaves the running
 * one in place; its errors stay visible at {@code /admin/config} until the next successful load.
 *
 * <p>Builds run one at a time on a worker thread, always from the latest files and the latest
 * store snapshot (store changes that arrive during a build are folded into the next one), and
 * their results are applied in order: a slow build never overwrites a newer config.
 */
public final class ConfigReloader {
  private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

  private final Vertx vertx;
  private final ConfigLoader loader;
  private final Path path;
  private final UnaryOperator<ValidatedConfig> adjust;
  private final Gateway gateway;
  private final Counter applied;
  private final Counter rejected;
  private final Context builds;
  private final ConfigPropagation propagation;
  private final AtomicReference<ConfigStore.Snapshot> pending = new AtomicReference<>();
  private final AtomicLong pendingSince = new AtomicLong();
  private final AtomicBoolean storeBuildQueued = new AtomicBoolean();
  private volatile ValidatedConfig current;
  private volatile ConfigException lastError;
  private volatile Instant appliedAt = Instant.now();
  private volatile ConfigDocuments files;
  private volatile StoreOverlay overlay;
  private volatile boolean storeSynced;
  private Future<ValidatedConfig> applying;
  private AutoCloseable watcher;
  private final List<RevisionWaiter> waiters = new ArrayList<>();
  private final ConfigHistory history = new ConfigHistory();

  private record RevisionWaiter(long revision, Promise<Boolean> promise) {}

  /**
   * @param first the running config, built from {@code files} and {@code overlay}
   * @param overlay the store's entries {@code first} was built with, or {@code null} without a store
   */
  public ConfigReloader(Vertx vertx, ConfigLoader loader, Path path, UnaryOperator<ValidatedConfig> adjust, Gateway gateway,
      ValidatedConfig first, ConfigDocuments files, StoreOverlay overlay) {
    this.vertx = vertx;
    this.loader = loader;
    this.path = path;
    this.adjust = adjust;
    this.gateway = gateway;
    this.current = first;
    this.files = files;
    this.overlay = overlay;
    this.storeSynced = overlay == null || overlay.revision() > 0;
    this.applying = Future.succeededFuture(first);
    this.history.applied(first, overlay);
    this.builds = EventLoopContexts.create(vertx);
    this.applied = Counter.builder("portico.config.reloads").description("config reloads by result").tag("result", "applied").register(gateway.meterRegistry());
    this.rejected = Counter.builder("portico.config.reloads").description("config reloads by result").tag("result", "rejected").register(gateway.meterRegistry());
    this.propagation = new ConfigPropagation(gateway.meterRegistry());
    Gauge.builder("portico.config.rejected.keys", this, r -> r.current.rejected().size())
        .description("config store entries left out of the running config because they are invalid")
        .register(gateway.meterRegistry());
    if (overlay != null) {
      Gauge.builder("portico.config.revision", this, r -> revisionOf(r.current))
          .description("config store revision of the running config")
          .register(gateway.meterRegistry());
    }
  }

  /** The configs applied lately, for {@code /admin/config/history} and rollback. */
  public ConfigHistory history() {
    return history;
  }

  public ValidatedConfig current() {
    return current;
  }

  /** The errors of the last rejected load since the last applied one, or {@code null}. */
  public ConfigException lastError() {
    return lastError;
  }

  public Instant appliedAt() {
    return appliedAt;
  }

  /** The config store's entries as last received, or {@code null} without a store. */
  public StoreOverlay overlay() {
    return overlay;
  }

  /** Whether the running config includes a snapshot read from the store (always true without one). */
  public boolean storeSynced() {
    return storeSynced;
  }

  /** Reads the files again and builds the config with the latest store snapshot, then applies it. */
  public Future<ValidatedConfig> reload() {
    return build(true);
  }

  /**
   * Validates a config built from the running files and {@code candidate} (the store's entries
   * with a pending admin write) without applying it. Runs off the event loops.
   */
  public Future<ValidatedConfig> check(StoreOverlay candidate) {
    ConfigDocuments documents = files;
    return vertx.executeBlocking(() -> loader.load(documents, path, candidate), false);
  }

  /** Records that an admin write started at {@code startNanos} was stored at {@code revision}. */
  public void written(long revision, long startNanos) {
    propagation.written(revision, startNanos);
  }

  /**
   * Completes with true once this gateway runs a config that includes store revision
   * {@code revision}, or with false after {@code timeout} (the store went away, or the config at
   * that revision was rejected as a whole). Lets an admin write answer after its own gateway
   * applied it.
   */
  public Future<Boolean> awaitRevision(long revision, Duration timeout) {
    Promise<Boolean> promise = Promise.promise();
    synchronized (waiters) {
      if (revisionOf(current) >= revision) {
        return Future.succeededFuture(true);
      }
      waiters.add(new RevisionWaiter(revision, promise));
    }
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> promise.tryComplete(false));
    return promise.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  /** A new store snapshot (from any thread): builds and applies the config it gives. */
  void onStoreSnapshot(ConfigStore.Snapshot snapshot) {
    pendingSince.compareAndSet(0, snapshot.receivedNanos()); // before the snapshot: a build that takes it finds its start
    pending.set(snapshot);
    if (storeBuildQueued.compareAndSet(false, true)) {
      build(false);
    }
  }

  private record Built(ValidatedConfig config, long sinceNanos) {}

  private Future<ValidatedConfig> build(boolean readFiles) {
    return builds.<Built>executeBlocking(() -> {
      storeBuildQueued.set(false); // a snapshot arriving from now on needs another build
      ConfigDocuments documents = readFiles ? loader.read(path) : files;
      long since = foldPendingSnapshot();
      ValidatedConfig next = adjust.apply(loader.load(documents, path, overlay));
      files = documents;
      return new Built(next, since);
    }, true).compose(built -> apply(built.config(), built.sinceNanos()), this::reject);
  }

  /** Takes the latest store snapshot into the overlay; returns when its changes began to arrive. */
  private long foldPendingSnapshot() {
    ConfigStore.Snapshot snapshot = pending.getAndSet(null);
    if (snapshot == null || overlay == null) {
      return 0;
    }
    overlay = StoreOverlay.of(snapshot, overlay.origin(), overlay);
    return pendingSince.getAndSet(0);
  }

  /** Applies an already validated config (from the file watcher). */
  Future<ValidatedConfig> apply(ValidatedConfig next) {
    return apply(next, 0);
  }

  private synchronized Future<ValidatedConfig> apply(ValidatedConfig next, long sinceNanos) {
    applying = applying.transform(ignored -> applyNow(next, sinceNanos));
    return applying;
  }

  private Future<ValidatedConfig> applyNow(ValidatedConfig next, long sinceNanos) {
    if (next.version().equals(current.version())) {
      current = next; // same content; the revision may have moved on
      lastError = null;
      live(next, sinceNanos);
      return Future.succeededFuture(next);
    }
    return gateway.apply(next).map(v -> {
      current = next;
      lastError = null;
      appliedAt = Instant.now();
      applied.increment();
      history.applied(next, overlay);
      live(next, sinceNanos);
      log.info("config {} (revision {}) applied from {}", next.version(), next.revision(), next.source());
      next.rejected().forEach(entry -> log.warn("config store entry left out:\n{}", entry.describe()));
      return next;
    });
  }

  private void live(ValidatedConfig next, long sinceNanos) {
    if (overlay != null) {
      long revision = (long) revisionOf(next);
      storeSynced |= revision > 0;
      propagation.applied(revision, sinceNanos);
      List<RevisionWaiter> reached = new ArrayList<>();
      synchronized (waiters) {
        for (Iterator<RevisionWaiter> it = waiters.iterator(); it.hasNext(); ) {
          RevisionWaiter waiter = it.next();
          if (waiter.revision() <= revision) {
            reached.add(waiter);
            it.remove();
          } else if (waiter.promise().future().isComplete()) {
            it.remove(); // timed out
          }
        }
      }
      reached.forEach(w -> w.promise().tryComplete(true));
    }
  }

  Future<ValidatedConfig> reject(Throwable failure) {
    if (failure instanceof ConfigException e) {
      lastError = e;
      rejected.increment();
      log.error("config rejected, still running {}:\n{}", current.version(), e.getMessage());
    } else {
      log.error("config reload failed, still running {}", current.version(), failure);
    }
    return Future.failedFuture(failure);
  }

  private static double revisionOf(ValidatedConfig config) {
    try {
      return Long.parseLong(config.revision());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** Starts watching the config files when {@code config.watch} is on. */
  public Future<Void> watchIfConfigured() {
    if (!current.gateway().config().watch()) {
      return Future.succeededFuture();
    }
    boolean withStore = overlay != null;
    ConfigWatcher.Validation validation = withStore ? documents -> loader.load(documents, path, overlay) : null;
    ConfigWatcher fileWatcher = new ConfigWatcher(vertx, loader, path, Duration.ofSeconds(1), validation, new ConfigWatcher.Listener() {
      @Override
      public void onConfig(ValidatedConfig config) {
        if (withStore) {
          build(true); // from the latest store snapshot, in order with the store's builds
        } else {
          apply(adjust.apply(config));
        }
      }

      @Override
      public void onError(ConfigException error) {
        reject(error);
      }
    });
    watcher = fileWatcher::close;
    return fileWatcher.start(current);
  }

  public Future<Void> close() {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (Exception e) {
        log.warn("closing the config watcher: {}", e.toString());
      }
    }
    return Future.succeededFuture();
  }
}
