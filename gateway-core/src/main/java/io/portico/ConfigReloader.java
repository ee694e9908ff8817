package io.portico;

import io.micrometer.core.instrument.Counter;
import io.portico.config.ConfigException;
import io.portico.config.ConfigLoader;
import io.portico.config.ConfigWatcher;
import io.portico.config.ValidatedConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the config files again (on request or when they change) and hands a valid result to the
 * gateway. A rejected config leaves the running one in place; its errors stay visible at
 * {@code /admin/config} until the next successful load.
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
  private volatile ValidatedConfig current;
  private volatile ConfigException lastError;
  private volatile Instant appliedAt = Instant.now();
  private AutoCloseable watcher;

  ConfigReloader(Vertx vertx, ConfigLoader loader, Path path, UnaryOperator<ValidatedConfig> adjust, Gateway gateway, ValidatedConfig first) {
    this.vertx = vertx;
    this.loader = loader;
    this.path = path;
    this.adjust = adjust;
    this.gateway = gateway;
    this.current = first;
    this.applied = Counter.builder("portico.config.reloads").description("config reloads by result").tag("result", "applied").register(gateway.meterRegistry());
    this.rejected = Counter.builder("portico.config.reloads").description("config reloads by result").tag("result", "rejected").register(gateway.meterRegistry());
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

  /** Reads and validates the files off the event loop, then applies them. */
  public Future<ValidatedConfig> reload() {
    return vertx.<ValidatedConfig>executeBlocking(() -> adjust.apply(loader.load(path)), false)
        .compose(this::apply, this::reject);
  }

  /** Applies an already validated config (from the file watcher). */
  Future<ValidatedConfig> apply(ValidatedConfig next) {
    if (next.version().equals(current.version())) {
      lastError = null;
      return Future.succeededFuture(current);
    }
    return gateway.apply(next).map(v -> {
      current = next;
      lastError = null;
      appliedAt = Instant.now();
      applied.increment();
      log.info("config {} applied from {}", next.version(), next.source());
      return next;
    });
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

  /** Starts watching the config files when {@code config.watch} is on. */
  Future<Void> watchIfConfigured() {
    if (!current.gateway().config().watch()) {
      return Future.succeededFuture();
    }
    ConfigWatcher fileWatcher = new ConfigWatcher(vertx, loader, path, new ConfigWatcher.Listener() {
      @Override
      public void onConfig(ValidatedConfig config) {
        apply(adjust.apply(config));
      }

      @Override
      public void onError(ConfigException error) {
        reject(error);
      }
    });
    watcher = fileWatcher::close;
    return fileWatcher.start(current);
  }

  Future<Void> close() {
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
