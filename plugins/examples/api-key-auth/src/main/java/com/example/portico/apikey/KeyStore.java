package com.example.portico.apikey;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys file, read off the event loop and published as an immutable map: the request path
 * reads a volatile field and never touches the file system.
 */
final class KeyStore {
  private static final Logger log = LoggerFactory.getLogger(KeyStore.class);

  private final Vertx vertx;
  private final Path file;
  private final long timer;
  private volatile Map<String, String> consumers;

  KeyStore(Vertx vertx, Path file, Duration reloadInterval) {
    this.vertx = vertx;
    this.file = file;
    this.consumers = read(file);
    this.timer = vertx.setPeriodic(reloadInterval.toMillis(), id -> reload());
  }

  /** The consumer owning {@code key}, or {@code null}. Safe on any thread. */
  String consumerOf(String key) {
    return consumers.get(key);
  }

  private void reload() {
    vertx.executeBlocking(() -> read(file), false).onComplete(ar -> {
      if (ar.succeeded()) {
        consumers = ar.result();
      } else {
        log.warn("keeping the previous API keys: cannot read {}: {}", file, ar.cause().getMessage());
      }
    });
  }

  /** Blocking: {@code key=consumer} lines; blank lines and {@code #} comments are skipped. */
  static Map<String, String> read(Path file) {
    Map<String, String> keys = new HashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.trim();
        int eq = trimmed.indexOf('=');
        if (trimmed.isEmpty() || trimmed.startsWith("#") || eq <= 0) {
          continue;
        }
        keys.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read API keys from " + file, e);
    }
    return Map.copyOf(keys);
  }

  Future<Void> close() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
