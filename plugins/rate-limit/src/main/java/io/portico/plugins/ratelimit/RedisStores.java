package io.portico.plugins.ratelimit;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The Redis stores open in this JVM, one per gateway (its {@link Vertx}) and Redis settings, shared
 * by every route that names those settings and counted: the last route to let go closes it. So N
 * routes make one connection, and a reload that keeps the settings keeps the connection (the new
 * route acquires before the old one releases).
 */
final class RedisStores {
  private record Id(Vertx vertx, RateLimitConfig.Redis settings) {}

  private static final class Entry {
    final RedisStore store;
    int users;

    Entry(RedisStore store) {
      this.store = store;
    }
  }

  private static final Map<Id, Entry> OPEN = new HashMap<>();

  private RedisStores() {}

  /** The store for these settings, opened on first use; {@link #release} it when done. */
  static synchronized RedisStore acquire(Vertx vertx, RateLimitConfig.Redis settings, UnaryOperator<String> env) {
    Entry entry = OPEN.computeIfAbsent(new Id(vertx, settings), id -> new Entry(new RedisStore(settings, env)));
    entry.users++;
    return entry.store;
  }

  /** Gives up one use; closes the store when it was the last. */
  static CompletableFuture<Void> release(Vertx vertx, RateLimitConfig.Redis settings) {
    RedisStore closing;
    synchronized (RedisStores.class) {
      Id id = new Id(vertx, settings);
      Entry entry = OPEN.get(id);
      if (entry == null || --entry.users > 0) {
        return CompletableFuture.completedFuture(null);
      }
      OPEN.remove(id);
      closing = entry.store;
    }
    return closing.close();
  }

  /** Number of open stores (connections) in this JVM. */
  static synchronized int open() {
    return OPEN.size();
  }
}
