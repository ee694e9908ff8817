package io.portico.config.live;

import io.portico.config.ConfigDocuments;
import io.portico.config.ConfigException;
import io.portico.config.ValidatedConfig;
import io.portico.config.load.ConfigLoader;
import io.portico.config.source.ConfigFileReader;
import io.portico.config.source.FileFingerprint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a config file (with its includes) or directory and reports each edit that changes its
 * content: a new {@link ValidatedConfig}, or the {@link ConfigException} of a broken edit, in
 * which case the running config should stay.
 *
 * <p>It polls (every second by default) rather than relying on file events, which editors'
 * atomic replaces and network file systems make unreliable. Each poll runs in {@code
 * executeBlocking}: it hashes the watched files and lists the watched folders. A change is loaded
 * once the content has stayed the same for one more poll (so a file caught mid-write is not
 * loaded), and reported only when its version differs from the running one: rewriting the same
 * bytes or touching a file reports nothing. No event loop ever blocks on the file system.
 */
public final class ConfigWatcher {

  /** Receives the outcome of edits, on the Vert.x context that called {@link #start}. */
  public interface Listener {
    /** A changed config that passed validation. Runs on an event loop: swap it in, never block. */
    void onConfig(ValidatedConfig config);

    /** An edit that did not pass; the listener keeps the running config. */
    void onError(ConfigException error);
  }

  /** Validates the documents read after an edit (runs on a worker thread). */
  @FunctionalInterface
  public interface Validation {
    ValidatedConfig validate(ConfigDocuments documents) throws ConfigException;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

  private final Vertx vertx;
  private final ConfigLoader loader;
  private final Path configPath;
  private final long intervalMillis;
  private final Listener listener;
  private final Validation validation;
  private final AtomicBoolean polling = new AtomicBoolean();
  private final AtomicLong polls = new AtomicLong();
  private volatile Context context;
  private volatile long timerId = -1;
  private volatile boolean closed;
  // the fields below are only touched by one poll at a time (guarded by "polling")
  private List<Path> files = List.of();
  private List<Path> directories = List.of();
  private FileFingerprint loaded;
  private FileFingerprint pending;
  private String runningVersion;

  public ConfigWatcher(Vertx vertx, ConfigLoader loader, Path configPath, Listener listener) {
    this(vertx, loader, configPath, Duration.ofSeconds(1), listener);
  }

  public ConfigWatcher(Vertx vertx, ConfigLoader loader, Path configPath, Duration interval, Listener listener) {
    this(vertx, loader, configPath, interval, null, listener);
  }

  /**
   * A watcher whose edits are validated by {@code validation} (the files with the config store's
   * entries laid over them, say) instead of the loader's validation of the files alone.
   */
  public ConfigWatcher(Vertx vertx, ConfigLoader loader, Path configPath, Duration interval, Validation validation,
      Listener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.loader = Objects.requireNonNull(loader, "loader");
    this.configPath = Objects.requireNonNull(configPath, "configPath");
    this.intervalMillis = Math.max(10, interval.toMillis());
    this.listener = Objects.requireNonNull(listener, "listener");
    this.validation = validation != null ? validation : documents -> this.loader.load(documents, this.configPath);
  }

  /**
   * Starts watching from the running config; call once. Completes once the watched files are
   * known; if the files already differ from {@code running}, the change is reported like any
   * later edit. The listener is called on the context of the caller (or a new event-loop context
   * when called from outside Vert.x).
   */
  public Future<Void> start(ValidatedConfig running) {
    context = vertx.getOrCreateContext();
    runningVersion = running.version();
    polling.set(true);
    return context.executeBlocking(() -> {
      loaded = null; // the first poll compares against nothing: it loads what is there now
      pending = null;
      return poll(true);
    }, true).onFailure(e -> polling.set(false)).map(outcome -> {
      polling.set(false);
      if (!closed) {
        deliver(outcome);
        timerId = vertx.setPeriodic(intervalMillis, intervalMillis, id -> tick());
        if (closed) {
          vertx.cancelTimer(timerId); // closed while the timer was being set
        }
      }
      return null;
    });
  }

  /** Stops polling. A poll already running finishes but reports nothing. */
  public void close() {
    closed = true;
    long id = timerId;
    if (id >= 0) {
      vertx.cancelTimer(id);
    }
  }

  /** Polls completed so far; lets tests wait for "the watcher has looked" without sleeping. */
  long polls() {
    return polls.get();
  }

  private void tick() {
    if (closed || !polling.compareAndSet(false, true)) {
      return; // closed, or the previous poll is still running
    }
    context.executeBlocking(() -> poll(false), true).onComplete(result -> {
      polling.set(false);
      if (result.failed()) {
        LOG.error("config watch of {} failed", configPath, result.cause());
      } else if (!closed) {
        deliver(result.result());
      }
    });
  }

  private record Outcome(ValidatedConfig config, ConfigException error) {
    static final Outcome NONE = new Outcome(null, null);
  }

  /** One look at the files; blocking, on a worker thread. */
  private Outcome poll(boolean initial) {
    try {
      FileFingerprint now = FileFingerprint.of(files, directories);
      if (!initial) {
        if (now.equals(loaded)) {
          pending = null;
          return Outcome.NONE;
        }
        if (!now.equals(pending)) {
          pending = now; // changed: wait until it stays the same for one more poll
          return Outcome.NONE;
        }
      }
      pending = null;
      loaded = now;
      return load();
    } finally {
      polls.incrementAndGet();
    }
  }

  private Outcome load() {
    ConfigFileReader.Attempt attempt = ConfigFileReader.attempt(configPath);
    if (!attempt.files().equals(files) || !attempt.directories().equals(directories)) {
      files = attempt.files();
      directories = attempt.directories();
      loaded = FileFingerprint.of(files, directories);
    }
    if (attempt.error() != null) {
      return new Outcome(null, attempt.error());
    }
    if (attempt.documents().version().equals(runningVersion)) {
      return Outcome.NONE;
    }
    try {
      ValidatedConfig config = validation.validate(attempt.documents());
      runningVersion = config.version();
      return new Outcome(config, null);
    } catch (ConfigException e) {
      return new Outcome(null, e);
    }
  }

  private void deliver(Outcome outcome) {
    try {
      if (outcome.config() != null) {
        LOG.info("config {} changed: version {}", configPath, outcome.config().version());
        listener.onConfig(outcome.config());
      } else if (outcome.error() != null) {
        LOG.warn("config {} rejected, the running config stays:\n{}", configPath, outcome.error().getMessage());
        listener.onError(outcome.error());
      }
    } catch (RuntimeException e) {
      LOG.error("config listener failed", e);
    }
  }
}
