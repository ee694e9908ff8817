package io.portico.plugins.ratelimit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The Redis stores open in this JVM, one per gateway (its {@link Vertx}) and Redis settings, shared
 * by every route that names those settings and counted: the last route to let go closes it. So N
 * routes make one connection, and a reload that keeps the settings keeps the connection (the new
 * route acquires before the old one releases). All stores share one set of Lettuce threads, shut
 * down with the last store.
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
  private static ClientResources resources;

  private RedisStores() {}

  /** The store for these settings, opened on first use; {@link #release} it when done. */
  static synchronized RedisStore acquire(Vertx vertx, RateLimitConfig.Redis settings, UnaryOperator<String> env) {
    if (resources == null) {
      // two I/O threads (Lettuce's minimum) serve every connection; reconnect within a second of
      // Redis returning (the default backoff grows to 30 s)
      resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
          .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
          .build();
    }
    ClientResources shared = resources;
    Entry entry = OPEN.computeIfAbsent(new Id(vertx, settings), id -> new Entry(new RedisStore(settings, env, shared)));
    entry.users++;
    return entry.store;
  }

  /** Gives up one use; closes the store when it was the last, and the threads with the last store. */
  static CompletableFuture<Void> release(Vertx vertx, RateLimitConfig.Redis settings) {
    RedisStore closing;
    ClientResources idle = null;
    synchronized (RedisStores.class) {
      Id id = new Id(vertx, settings);
      Entry entry = OPEN.get(id);
      if (entry == null || --entry.users > 0) {
        return CompletableFuture.completedFuture(null);
      }
      OPEN.remove(id);
      closing = entry.store;
      if (OPEN.isEmpty()) {
        idle = resources;
        resources = null;
      }
    }
    ClientResources shutdown = idle;
    return closing.close().thenCompose(v -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      if (shutdown == null) {
        done.complete(null);
      } else {
        shutdown.shutdown(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
      }
      return done;
    });
  }

  /** Number of open stores (connections) in this JVM. */
  static synchronized int open() {
    return OPEN.size();
  }
}
